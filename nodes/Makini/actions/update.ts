/** Update: PUT the changed fields of one record. */
import { buildBody } from './body';
import { recordsOf, send, type ActionHandler } from './request';

export const update: ActionHandler = async function (op, itemIndex) {
	return recordsOf(await send(this, op, itemIndex, { body: buildBody(this, op, itemIndex) }));
};
