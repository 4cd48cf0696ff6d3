/**
 * Runs the chosen operation for every input item: one output item per record, paired
 * with its input; with Continue On Fail an error item (message, Makini code, request ID)
 * and on to the next item.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../shared/nodeError';
import { errorItemJson } from '../../shared/transport';
import type { ContractOperation } from '../../shared/registry';
import { familyNaming, familyOperation, type MakiniFamily } from '../../shared/registry/families';
import { acceptsAuthentication, actionKind, AUTHENTICATION_VALUE, credentialTypeOf, type ActionKind } from '../../shared/registry/kinds';
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

function operationAt(ctx: IExecuteFunctions, family: MakiniFamily, itemIndex: number): ContractOperation {
	const system = String(ctx.getNodeParameter('system', itemIndex, family));
	const resource = String(ctx.getNodeParameter('resource', itemIndex));
	const operation = String(ctx.getNodeParameter('operation', itemIndex));
	const op = familyOperation(family, system, resource, operation);
	if (!op) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${familyNaming(family).displayName} has no operation "${operation}" for "${resource}" in "${system}"`,
			{ itemIndex, description: 'Each kind of system has its own node: Makini CMMS, Makini ERP and Makini WMS.' },
		);
	}
	requireAuthentication(ctx, op, itemIndex);
	return op;
}

/**
 * System API operations need the System API credential; all others a connection's API
 * token, or the System API credential with a Connection (acceptsAuthentication). n8n would refuse the other one with a bare "Credentials not found"; this says
 * which parameter to change.
 */
function requireAuthentication(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): void {
	const needed = credentialTypeOf(op);
	const chosen = String(ctx.getNodeParameter('authentication', itemIndex, AUTHENTICATION_VALUE.makiniApi));
	if (acceptsAuthentication(op, chosen)) return;
	const systemApi = needed === 'makiniSystemApi';
	throw new NodeOperationError(
		ctx.getNode(),
		systemApi
			? `"${op.resource} → ${op.operation}" uses Makini's System API: set Authentication to "System API (All Connections)" and choose a Makini System API credential`
			: `"${op.resource} → ${op.operation}" runs on one connection: set Authentication to "API Token (One Connection)" with a Makini API credential, to "Makini Link OAuth2 (One Connection)", or to "System API (All Connections)" with a Connection`,
		{ itemIndex, description: `Parameter "Authentication" is "${chosen}"; this operation needs "${AUTHENTICATION_VALUE[needed]}".` },
	);
}

/** Runs a family node: `family` is the node's (its hidden System parameter holds it too). */
export async function route(this: IExecuteFunctions, family: MakiniFamily): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const op = operationAt(this, family, itemIndex);
			const records = await HANDLERS[actionKind(op)].call(this, op, itemIndex);
			for (const json of records) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return [output];
}
