/** Passthrough: a call to the connected system's own API (or SQL), sent through Makini. */
import type { IDataObject } from 'n8n-workflow';

import { collectionRows } from '../../shared/parameters';
import { lenientJson, parameterError, readJson } from './params';
import { recordsOf, send, type ActionHandler } from './request';

function pairs(rows: IDataObject[]): IDataObject | undefined {
	const result: IDataObject = {};
	for (const row of rows) {
		const name = typeof row.name === 'string' ? row.name.trim() : '';
		if (name) result[name] = row.value ?? '';
	}
	return Object.keys(result).length ? result : undefined;
}

export const passthrough: ActionHandler = async function (op, itemIndex) {
	const method = String(this.getNodeParameter('method', itemIndex, 'get')).toLowerCase();
	const path = this.getNodeParameter('path', itemIndex, '');
	if (typeof path !== 'string') throw parameterError(this, itemIndex, 'The parameter "Path" must be text');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const sql = typeof options.sql === 'string' ? options.sql.trim() : '';
	if (!path.trim() && !sql) {
		throw parameterError(this, itemIndex, 'The parameter "Path" is empty', 'Set the path of the connected system’s API, or a SQL statement in Options.');
	}
	const body: IDataObject = { path: path.trim(), method };
	const query = pairs(collectionRows(this.getNodeParameter('query', itemIndex, {})));
	if (query) body.query = query;
	const headers = pairs(collectionRows(this.getNodeParameter('headers', itemIndex, {})));
	if (headers) body.headers = headers;
	if (method === 'post' || method === 'put') {
		const payload = this.getNodeParameter('body', itemIndex, '');
		const parsed = typeof payload === 'string' ? lenientJson(payload) : payload;
		if (parsed !== '' && parsed !== undefined) body.body = parsed as IDataObject;
	}
	if (options.base64encoded !== undefined) body.base64encoded = Boolean(options.base64encoded);
	if (sql) body.sql = sql;
	if (options.parameters !== undefined) {
		const parameters = readJson(this, options.parameters, 'Parameters', itemIndex);
		if (parameters !== undefined) body.parameters = parameters as IDataObject;
	}
	return recordsOf(await send(this, op, itemIndex, { body }));
};
