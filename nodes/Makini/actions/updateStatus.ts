/**
 * Update Status. The sources disagree on the body: CONTRACT.md and work orders send
 * `{statusKey}`, the purchase order, invoice and fulfillment specs `{status}`. The node
 * sends the name the operation documents and the other one with the same value.
 */
import type { IDataObject } from 'n8n-workflow';

import { checkKey } from './params';
import { recordsOf, send, type ActionHandler } from './request';

export const updateStatus: ActionHandler = async function (op, itemIndex) {
	const status = checkKey(this, this.getNodeParameter('status', itemIndex, ''), 'Status', itemIndex);
	const documented = op.body?.[0]?.name ?? 'statusKey';
	const other = documented === 'status' ? 'statusKey' : 'status';
	const body: IDataObject = { [documented]: status, [other]: status };
	return recordsOf(await send(this, op, itemIndex, { body }));
};
