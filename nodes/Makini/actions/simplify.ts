/** Simplify on Get and Get Many: each record cut to the fields registry/simplify names. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ContractOperation } from '../../shared/registry';
import { offersSimplify, simplifiedFields, simplifyRecord } from '../../shared/registry/simplify';
import { readBoolean } from './params';

export function simplifyIfAsked(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number, records: IDataObject[]): IDataObject[] {
	if (!offersSimplify(op) || !readBoolean(ctx, 'simple', 'Simplify', itemIndex)) return records;
	const fields = simplifiedFields(op);
	return records.map((record) => simplifyRecord(record, fields) as IDataObject);
}
