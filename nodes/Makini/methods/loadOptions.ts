/** Option lists loaded live: statuses, the fields a list can filter and sort on, raw tables. */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { makiniApiRequest, makiniCollect } from '../../shared/transport';
import { recordFieldOptions } from '../../shared/descriptions/filters';
import { findOperation } from '../../shared/registry';
import { currentRequestAuth } from '../../shared/connection';
import { currentOperation, currentParameter } from '../../shared/currentOperation';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** Statuses are a short lookup list; this bounds a misbehaving server. */
const MAX_STATUSES = 2000;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const op = currentOperation(this, 'getStatuses');
	const statuses = await makiniCollect.call(
		this,
		{ method: 'GET', path: op.path, ...currentRequestAuth(this, op) },
		{ limit: MAX_STATUSES },
	);
	return statuses
		.filter((status) => text(status.key))
		.map((status) => {
			const code = text(status.code);
			const name = text(status.name) || code || text(status.key);
			const option: INodePropertyOptions = { name, value: text(status.key) };
			if (code && code !== name) option.description = `Code ${code}`;
			return option;
		})
		.sort(byName);
}

async function rawTables(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const op = findOperation('platform', 'rawData', 'getTables')!;
	const body = await makiniApiRequest.call(ctx, { method: 'GET', path: op.path, ...currentRequestAuth(ctx, op) });
	const data = Array.isArray(body.data) ? body.data : [];
	return data.map((table) => (typeof table === 'string' ? { name: table } : (table as IDataObject)));
}

export async function getRawTables(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await rawTables(this))
		.filter((table) => text(table.name))
		.map((table) => ({ name: text(table.name), value: text(table.name), description: text(table.description) || undefined }))
		.sort(byName);
}

/** Fields of the records the current list returns; for a raw table, its columns. */
export async function getFilterFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const op = currentOperation(this);
	if (op.system === 'platform' && op.resource === 'rawData') {
		const wanted = currentParameter(this, 'table');
		const table = (await rawTables(this)).find((t) => t.name === wanted);
		const columns = Array.isArray(table?.columns) ? table.columns : [];
		return columns
			.map((column) => text(typeof column === 'object' && column ? (column as IDataObject).name : column))
			.filter(Boolean)
			.map((name) => ({ name, value: name }))
			.sort(byName);
	}
	return recordFieldOptions(op);
}
