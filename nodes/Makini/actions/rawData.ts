/** Raw data: the connected system's source tables, and one table's rows. */
import { readList } from './getMany';
import { recordsOf, send, type ActionHandler } from './request';

export const rawData: ActionHandler = async function (op, itemIndex) {
	if (op.list) return await readList(this, op, itemIndex);
	return recordsOf(await send(this, op, itemIndex));
};
