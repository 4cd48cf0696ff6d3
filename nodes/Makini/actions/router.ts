/**
 * Runs the chosen operation for every input item: one output item per record, paired
 * with its input; with Continue On Fail an error item (message, Makini code, request ID)
 * and on to the next item.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItemJson } from '../../shared/transport';
import { findOperation, type ContractOperation } from '../registry';
import { actionKind, type ActionKind } from '../registry/kinds';
import { connection } from './connection';
import { create } from './create';
import { get } from './get';
import { getMany } from './getMany';
import { passthrough } from './passthrough';
import { rawData } from './rawData';
import type { ActionHandler } from './request';
import { subresource } from './subresource';
import { update } from './update';
import { updateStatus } from './updateStatus';

const HANDLERS: Record<ActionKind, ActionHandler> = {
	create,
	get,
	getMany,
	update,
	updateStatus,
	subresource,
	connection,
	passthrough,
	rawData,
};

function operationAt(ctx: IExecuteFunctions, itemIndex: number): ContractOperation {
	const system = String(ctx.getNodeParameter('system', itemIndex));
	const resource = String(ctx.getNodeParameter('resource', itemIndex));
	const operation = String(ctx.getNodeParameter('operation', itemIndex));
	const op = findOperation(system, resource, operation);
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `Makini documents no operation "${operation}" for "${resource}" in "${system}"`, {
			itemIndex,
		});
	}
	return op;
}

/** API failures arrive as the transport's NodeApiError and bad parameters as NodeOperationError; anything else is wrapped. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const op = operationAt(this, itemIndex);
			const records = await HANDLERS[actionKind(op)].call(this, op, itemIndex);
			for (const json of records) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(this, error, itemIndex);
		}
	}
	return [output];
}
