/** Get: one record by its key. */
import { recordsOf, send, type ActionHandler } from './request';

export const get: ActionHandler = async function (op, itemIndex) {
	return recordsOf(await send(this, op, itemIndex));
};
