/** Create: a record from fields or JSON; an EAM document from a binary file (multipart). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ContractOperation } from '../../shared/registry';
import { buildBody } from './body';
import { createOrGet } from './createOrGet';
import { parameterError } from './params';
import { recordsOf, send, type ActionHandler } from './request';

async function upload(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number) {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	if (typeof property !== 'string' || !property.trim()) {
		throw parameterError(ctx, itemIndex, 'The parameter "Input Binary Field" is empty');
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, property.trim());
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property.trim());
	const fileName = binary.fileName ?? 'document';
	const name = ctx.getNodeParameter('name', itemIndex, '');
	const fields: Record<string, string> = {
		name: typeof name === 'string' && name.trim() ? name.trim() : fileName,
	};
	const file = { field: 'file', data, fileName, contentType: binary.mimeType || 'application/octet-stream' };
	return await send(ctx, op, itemIndex, { multipart: { fields, file } });
}

export const create: ActionHandler = async function (op, itemIndex) {
	if (op.multipart) return recordsOf(await upload(this, op, itemIndex));
	const body = buildBody(this, op, itemIndex);
	return await createOrGet(this, op, itemIndex, body, async () => recordsOf(await send(this, op, itemIndex, { body })));
};
