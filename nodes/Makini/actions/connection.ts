/**
 * The connection and the System API: status with a health verdict, disconnect; with
 * the System API credential, connections, their metadata and tokens, platforms and the
 * client. Issued tokens stay out of the output unless the builder asks for them.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withHealth } from '../../shared/health';
import type { ContractOperation } from '../../shared/registry';
import { buildBody } from './body';
import { readList } from './getMany';
import { collectionRows } from '../../shared/parameters';
import { parameterError, readBoolean } from './params';
import { recordsOf, send, type ActionHandler } from './request';

const TOKEN_FIELD = /token/i;

/** Replaces issued tokens by "[redacted]" unless Include Tokens is on. */
function guardTokens(ctx: IExecuteFunctions, records: IDataObject[], itemIndex: number): IDataObject[] {
	if (readBoolean(ctx, 'includeTokens', 'Include Tokens', itemIndex)) return records;
	return records.map((record) => {
		const copy: IDataObject = {};
		for (const [name, value] of Object.entries(record)) {
			copy[name] = TOKEN_FIELD.test(name) && name !== 'token_type' && typeof value === 'string' ? '[redacted]' : value;
		}
		return copy;
	});
}

function metadataEntries(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const entries = collectionRows(ctx.getNodeParameter('metadata', itemIndex, {})).map((row) => {
		const key = typeof row.key === 'string' ? row.key.trim() : '';
		if (!key) throw parameterError(ctx, itemIndex, 'A row of the parameter "Metadata" has no key');
		return { key, value: row.value === undefined ? '' : row.value };
	});
	if (!entries.length) throw parameterError(ctx, itemIndex, 'The parameter "Metadata" has no entries');
	return entries;
}

async function single(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): Promise<IDataObject[]> {
	switch (op.operation) {
		case 'getStatus':
			return recordsOf(await send(ctx, op, itemIndex)).map(withHealth);
		case 'disconnect': {
			const answer = recordsOf(await send(ctx, op, itemIndex));
			return [{ disconnected: true, ...answer[0] }];
		}
		case 'delete': {
			const answer = recordsOf(await send(ctx, op, itemIndex));
			return [{ deleted: true, ...answer[0] }];
		}
		case 'create':
			return guardTokens(ctx, recordsOf(await send(ctx, op, itemIndex, { body: buildBody(ctx, op, itemIndex) })), itemIndex);
		case 'setMetadata':
			return recordsOf(await send(ctx, op, itemIndex, { body: metadataEntries(ctx, itemIndex) }));
		case 'issueToken': {
			const expiresIn = ctx.getNodeParameter('expiresIn', itemIndex, 0);
			if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 0) {
				throw parameterError(ctx, itemIndex, 'The parameter "Expires In (Seconds)" must be a whole number of 0 or more');
			}
			const body: IDataObject = expiresIn ? { expires_in: expiresIn } : {};
			// Another short-lived token is harmless: retried through resets, 5xx and 429 like a read.
			return guardTokens(ctx, recordsOf(await send(ctx, op, itemIndex, { body, safeToRepeat: true })), itemIndex);
		}
		default:
			// client.get and any plain read the System API adds.
			return recordsOf(await send(ctx, op, itemIndex));
	}
}

export const connection: ActionHandler = async function (op, itemIndex) {
	if (op.list) return await readList(this, op, itemIndex);
	return await single(this, op, itemIndex);
};
