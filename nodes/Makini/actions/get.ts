/** Get: one record by its key. */
import { recordsOf, send, type ActionHandler } from './request';
import { simplifyIfAsked } from './simplify';

export const get: ActionHandler = async function (op, itemIndex) {
	return simplifyIfAsked(this, op, itemIndex, recordsOf(await send(this, op, itemIndex)));
};
