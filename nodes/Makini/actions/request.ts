/** Sending one documented operation, and reading the records out of Makini's answer. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { makiniApiRequest, type MakiniRequestOptions } from '../../shared/transport';
import type { ContractOperation } from '../../shared/registry';
import { requestAuth } from '../../shared/connection';
import { resolvePath } from './params';

export type ActionHandler = (this: IExecuteFunctions, op: ContractOperation, itemIndex: number) => Promise<IDataObject[]>;

/** The records of an answer: `{data: [...]}`, `{data: {...}}`, a bare list, or the body itself. */
export function recordsOf(body: IDataObject | IDataObject[]): IDataObject[] {
	if (Array.isArray(body)) return body.map(asRecord);
	const data = body.data;
	if (Array.isArray(data)) return data.map(asRecord);
	if (data !== null && typeof data === 'object') return [data as IDataObject];
	return Object.keys(body).length ? [body] : [];
}

/** List entries that are not objects (e.g. table names) become `{ value }`. */
function asRecord(entry: unknown): IDataObject {
	return entry !== null && typeof entry === 'object' && !Array.isArray(entry)
		? (entry as IDataObject)
		: { value: entry as string };
}

/** Sends the operation to a path already filled in, with the operation's credential. */
export async function sendTo(
	ctx: IExecuteFunctions,
	op: ContractOperation,
	path: string,
	itemIndex: number,
	extra: Pick<MakiniRequestOptions, 'body' | 'query' | 'multipart' | 'safeToRepeat'> = {},
): Promise<IDataObject> {
	return await makiniApiRequest.call(ctx, {
		method: op.method,
		path,
		...requestAuth(ctx, op, itemIndex),
		itemIndex,
		...extra,
	});
}

/** Sends the operation with its path filled from the parameters; returns Makini's body. */
export async function send(
	ctx: IExecuteFunctions,
	op: ContractOperation,
	itemIndex: number,
	extra: Pick<MakiniRequestOptions, 'body' | 'query' | 'multipart' | 'safeToRepeat'> = {},
): Promise<IDataObject> {
	return await sendTo(ctx, op, resolvePath(ctx, op, itemIndex), itemIndex, extra);
}
