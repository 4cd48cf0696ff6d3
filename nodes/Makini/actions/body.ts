/**
 * The request body of a create, update or sub-resource write: from the fields (top-level
 * parameters, Additional/Update Fields, custom fields) or from the JSON mode. The layout
 * comes from the same registry overlay that built the parameters.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ContractField, ContractOperation } from '../../shared/registry';
import { bodyLayout, fieldInput, takesCustomFields } from '../../shared/registry/fields';
import { humanize } from '../../shared/registry/naming';
import { fieldParameterName, LINE_MORE, LINES_FROM_EXPRESSION, LINES_TYPED } from '../../shared/registry/parameters';
import { collectionRows, toIsoText, typeName } from '../../shared/parameters';
import { keyList, lenientJson, parameterError, readJson, resolvePathParams } from './params';

type Converted = { value: unknown } | undefined;

/** A resource locator's value ({ __rl, mode, value }) is its key; anything else stays as it is. */
function locatorValue(raw: unknown): unknown {
	if (raw !== null && typeof raw === 'object' && (raw as IDataObject).__rl === true) return (raw as IDataObject).value;
	return raw;
}

/**
 * The rows of a nested list: typed rows, plus every list an expression row gave (an
 * Aggregate node's output, JSON text, or one object), in that order. A list from an
 * expression or JSON text may also be the parameter's whole value.
 */
function lineRows(ctx: IExecuteFunctions, raw: unknown, label: string, itemIndex: number): IDataObject[] {
	const asRows = (value: unknown): IDataObject[] => {
		const parsed = typeof value === 'string' ? readJson(ctx, value, label, itemIndex) : value;
		if (parsed === undefined || parsed === null) return [];
		const list = Array.isArray(parsed) ? parsed : [parsed];
		return list.map((row) => {
			if (row === null || typeof row !== 'object' || Array.isArray(row)) {
				throw parameterError(ctx, itemIndex, `Each entry of "${label}" must be an object, not ${typeName(row)}`, 'Give a list of objects, e.g. [{"materialKey": "0800…", "quantity": 2}].');
			}
			return row as IDataObject;
		});
	};
	if (typeof raw === 'string' || Array.isArray(raw)) return asRows(raw);
	if (raw === null || typeof raw !== 'object') return [];
	const groups = raw as IDataObject;
	// A typed row keeps its less used fields in its own collection: one flat line.
	const typed = collectionRows({ [LINES_TYPED]: groups[LINES_TYPED] }).map((row) => {
		const { [LINE_MORE]: more, ...main } = row;
		return more && typeof more === 'object' && !Array.isArray(more) ? { ...main, ...(more as IDataObject) } : main;
	});
	const fromExpression = collectionRows({ [LINES_FROM_EXPRESSION]: groups[LINES_FROM_EXPRESSION] }).flatMap((row) => asRows(row.list));
	return [...typed, ...fromExpression];
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A field's value as the API wants it, or undefined when the builder left it empty. */
function convert(ctx: IExecuteFunctions, field: ContractField, raw: unknown, itemIndex: number): Converted {
	const label = humanize(field.name);
	raw = locatorValue(raw);
	if (isBlank(raw)) return undefined;
	switch (fieldInput(field)) {
		case 'number':
		case 'integer': {
			const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				throw parameterError(ctx, itemIndex, `The field "${label}" must be a number, not ${JSON.stringify(raw)}`);
			}
			if (fieldInput(field) === 'integer' && !Number.isInteger(value)) {
				throw parameterError(ctx, itemIndex, `The field "${label}" must be a whole number, not ${value}`);
			}
			return { value };
		}
		case 'boolean':
			if (typeof raw === 'boolean') return { value: raw };
			if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
			throw parameterError(ctx, itemIndex, `The field "${label}" must be true or false, not ${JSON.stringify(raw)}`);
		case 'dateTime':
			return { value: toIsoText(raw) };
		case 'keyList': {
			const keys = keyList(ctx, raw, label, itemIndex);
			return keys.length ? { value: keys } : undefined;
		}
		case 'lines': {
			const lines = lineRows(ctx, raw, label, itemIndex).map((row) => line(ctx, field, row, itemIndex));
			return lines.length ? { value: lines } : undefined;
		}
		case 'json':
			return { value: lenientJson(raw) };
		default:
			if (typeof raw === 'object') {
				throw parameterError(ctx, itemIndex, `The field "${label}" must be text, not ${typeName(raw)}`);
			}
			return { value: raw };
	}
}

/** One line of a nested list (task, document, line item): its set values, typed. */
function line(ctx: IExecuteFunctions, field: ContractField, row: IDataObject, itemIndex: number): IDataObject {
	const result: IDataObject = {};
	for (const [name, raw] of Object.entries(row)) {
		const sub = field.fields?.find((f) => f.name === name) ?? { name, type: 'json' as const };
		const converted = convert(ctx, sub, raw, itemIndex);
		if (converted) result[name] = converted.value as IDataObject[keyof IDataObject];
	}
	return result;
}

function customFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const result: IDataObject = {};
	for (const row of collectionRows(ctx.getNodeParameter('customFields', itemIndex, {}))) {
		const name = typeof row.name === 'string' ? row.name.trim() : '';
		if (!name) {
			throw parameterError(ctx, itemIndex, 'A row of the parameter "Custom Fields" has no name');
		}
		result[name] = row.value ?? '';
	}
	return result;
}

/** The body of a field-bodied operation (create, update, material and inventory writes, connection create). */
export function buildBody(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): IDataObject {
	const layout = bodyLayout(op);
	let body: IDataObject;
	if (ctx.getNodeParameter('bodyMode', itemIndex, 'fields') === 'json') {
		const json = readJson(ctx, ctx.getNodeParameter('jsonBody', itemIndex, '{}'), 'JSON Body', itemIndex, 'object');
		// A blank body would silently send an empty create or update (which still bumps updatedAt).
		if (json === undefined) {
			throw parameterError(ctx, itemIndex, 'The parameter "JSON Body" is empty', 'Write the body as a JSON object, e.g. {"title": "Replace the seal"}, or set Body to Fields.');
		}
		body = { ...(json as IDataObject) };
	} else {
		body = {};
		const set = (field: ContractField, raw: unknown) => {
			const converted = convert(ctx, field, raw, itemIndex);
			if (converted) body[field.name] = converted.value as IDataObject[keyof IDataObject];
		};
		for (const field of layout.primary) set(field, ctx.getNodeParameter(fieldParameterName(field), itemIndex, undefined));
		const collection = ctx.getNodeParameter(layout.collection, itemIndex, {}) as IDataObject;
		for (const field of layout.additional) if (field.name in collection) set(field, collection[field.name]);
		if (takesCustomFields(op)) Object.assign(body, customFields(ctx, itemIndex));
	}
	// A body field the path already names (updateMaterial's materialKey) is filled from it.
	if (layout.fromPath.length) {
		const params = resolvePathParams(ctx, op, itemIndex);
		for (const name of layout.fromPath) body[name] ??= params[name];
	}
	return body;
}
