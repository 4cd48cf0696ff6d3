/**
 * Create or Get: before a create, read the resource's list filtered on the Match On field
 * with the value the body sends. One record with exactly that value: it is returned,
 * marked `_makini.found: true`, and nothing is created. None: the record is created and
 * marked `_makini.found: false`. Several: the item stops with an error naming their keys,
 * since picking one would hide the duplicate the option exists to prevent. A failed read
 * stops the item too: creating blind could double the record.
 *
 * It is a read and then a write, not one atomic step: Makini documents no idempotency key
 * or unique constraint, so two executions racing with the same value can both create.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildListQuery, makiniCollect } from '../../shared/transport';
import type { ContractOperation } from '../../shared/registry';
import { createOrGetList, matchFields } from '../../shared/registry/createOrGet';
import { credentialTypeOf } from '../../shared/registry/kinds';
import { humanize } from '../../shared/registry/naming';
import { parameterError, readBoolean } from './params';

/** Records read to find the exact matches (Makini's filter may match more loosely than equality). */
const MATCH_READ_LIMIT = 100;

/** Keys named in the error when several records match. */
const KEYS_SHOWN = 5;

/** Whether Create or Get is on for this item (only creates that offer it have the switch). */
function wantsCreateOrGet(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): boolean {
	return matchFields(op).length > 0 && readBoolean(ctx, 'createOrGet', 'Create or Get', itemIndex);
}

function matchField(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): string {
	const fields = matchFields(op);
	const raw = ctx.getNodeParameter('createOrGetField', itemIndex, fields[0]);
	if (typeof raw !== 'string' || !fields.includes(raw)) {
		throw parameterError(
			ctx,
			itemIndex,
			`The parameter "Match On" must be one of ${fields.join(', ')}, not ${JSON.stringify(raw)}`,
		);
	}
	return raw;
}

function matchValue(ctx: IExecuteFunctions, body: IDataObject, field: string, itemIndex: number): string | number {
	const value = body[field];
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') return value;
	throw parameterError(
		ctx,
		itemIndex,
		`Create or Get matches on "${humanize(field)}" (${field}), but the body sends ${value === undefined ? 'no value for it' : `${JSON.stringify(value)} for it`}`,
		`Set ${field} in the body (in the fields or the JSON body) to the value that identifies the record, or turn Create or Get off.`,
	);
}

/**
 * Runs `create` unless Create or Get is on and finds the record: the found record, or the
 * created ones, marked. With Create or Get off, `create`'s records unchanged.
 */
export async function createOrGet(
	ctx: IExecuteFunctions,
	op: ContractOperation,
	itemIndex: number,
	body: IDataObject,
	create: () => Promise<IDataObject[]>,
): Promise<IDataObject[]> {
	if (!wantsCreateOrGet(ctx, op, itemIndex)) return await create();
	const list = createOrGetList(op)!;
	const field = matchField(ctx, op, itemIndex);
	const value = matchValue(ctx, body, field, itemIndex);
	const query = buildListQuery({ filters: [{ field, operator: 'equals', value }] });
	const candidates = await makiniCollect.call(
		ctx,
		{ method: 'GET', path: list.path, query, credentialType: credentialTypeOf(list), itemIndex },
		{ limit: MATCH_READ_LIMIT, pageSize: MATCH_READ_LIMIT },
	);
	const matches = candidates.filter((record) => record[field] !== undefined && record[field] !== null && String(record[field]) === String(value));
	const marker = (found: boolean) => ({ found, matchField: field, matchValue: value });
	if (matches.length === 1) return [{ ...matches[0], _makini: marker(true) }];
	if (matches.length > 1) {
		const keys = matches.slice(0, KEYS_SHOWN).map((record) => String(record.key));
		throw parameterError(
			ctx,
			itemIndex,
			`Create or Get found ${matches.length} records with ${field} "${value}" (keys ${keys.join(', ')}${matches.length > KEYS_SHOWN ? ', …' : ''}): nothing was created`,
			`${humanize(field)} does not identify one record here. Match on a field that is unique in the connected system, or resolve the duplicates in it first.`,
		);
	}
	if (candidates.length >= MATCH_READ_LIMIT) {
		// An exact match could be past the records read: creating now could double it.
		throw parameterError(
			ctx,
			itemIndex,
			`Create or Get could not tell whether a record with ${field} "${value}" exists: Makini's filter returned ${candidates.length} or more records, none with exactly that value`,
			`Match on a more specific field, or use Get Many with your own filter and an If node.`,
		);
	}
	return (await create()).map((record) => ({ ...record, _makini: marker(false) }));
}
