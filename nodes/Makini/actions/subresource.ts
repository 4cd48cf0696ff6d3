/**
 * Sub-resources: materials of work orders, assets, asset templates, PM and production
 * orders (lists), work-order material add / update, material inventory, assembly
 * children and shipment delivery.
 */
import { hasFieldBody } from '../../shared/registry/fields';
import { buildBody } from './body';
import { readList } from './getMany';
import { recordsOf, send, type ActionHandler } from './request';

export const subresource: ActionHandler = async function (op, itemIndex) {
	if (op.list) return await readList(this, op, itemIndex);
	const body = hasFieldBody(op) ? buildBody(this, op, itemIndex) : undefined;
	return recordsOf(await send(this, op, itemIndex, body ? { body } : {}));
};
