/**
 * Request-body validation with Laravel-style messages per field: the documented types,
 * the fields the connection's product requires, and references to records that must
 * exist. Answers 422 VALIDATION_FAILED naming every offending field.
 */
import type { ContractField, ContractOperation } from '../../nodes/shared/registry';
import { referencedCollection } from '../data/collections';
import type { Product } from '../data/products';
import { parseDate } from '../data/query';
import type { Store } from '../data/store';
import { ApiError, validationError } from '../http/errors';

type Errors = Record<string, string[]>;

const NUMBER = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isDateField(name: string): boolean {
	return /(At|Date)$/.test(name) || name === 'date';
}

/** The message for a value of the wrong type, or undefined when it fits. */
export function typeError(field: ContractField, value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	const name = field.name;
	switch (field.type) {
		case 'string':
			// Some key lists are typed string in the spec but are lists in its examples.
			if (Array.isArray(value) && name.endsWith('Keys')) return undefined;
			if (typeof value !== 'string' && typeof value !== 'number') return `The ${name} field must be a string.`;
			if (isDateField(name) && typeof value === 'string' && value !== '' && parseDate(value) === undefined) {
				return `The ${name} field must be a valid date.`;
			}
			return undefined;
		case 'number':
			return typeof value === 'number' ? (Number.isFinite(value) ? undefined : `The ${name} field must be a number.`) : typeof value === 'string' && NUMBER.test(value.trim()) ? undefined : `The ${name} field must be a number.`;
		case 'integer':
			return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INTEGER.test(value.trim())) ? undefined : `The ${name} field must be an integer.`;
		case 'boolean':
			return [true, false, 0, 1, '0', '1', 'true', 'false'].includes(value as never) ? undefined : `The ${name} field must be true or false.`;
		case 'date':
			return typeof value === 'string' && parseDate(value) !== undefined ? undefined : `The ${name} field must be a valid date.`;
		case 'array':
			return Array.isArray(value) ? undefined : `The ${name} field must be an array.`;
		case 'object':
			return typeof value === 'object' ? undefined : `The ${name} field must be an object.`;
		default:
			return undefined;
	}
}

function add(errors: Errors, field: string, message: string): void {
	(errors[field] ??= []).push(message);
}

export interface ValidationContext {
	store: Store;
	product: Product;
	/** A create needs every required field; an update may not blank one. */
	creating: boolean;
	/** Status keys allowed for this entity's statusKey, when the spec lists them. */
	statusScope?: string;
}

/** The body as a JSON object (an absent body is an empty one); anything else is a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
	if (body === undefined) return {};
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new ApiError(400, 'The request body must be a JSON object.');
	}
	return body as Record<string, unknown>;
}

/** Checks an object body; returns it as a plain object. */
export function validateBody(op: ContractOperation, body: unknown, context: ValidationContext): Record<string, unknown> {
	const input = objectBody(body);
	const errors: Errors = {};
	const fields = op.body ?? [];

	for (const field of fields) {
		const value = input[field.name];
		if (field.required && isEmpty(value)) add(errors, field.name, `The ${field.name} field is required.`);
		else {
			const message = typeError(field, value);
			if (message) add(errors, field.name, message);
		}
	}

	// The product's rules are about the entity itself, not its sub-resources.
	const productRules = op.operation === 'create' || op.operation === 'update' ? (context.product.required[op.resource] ?? []) : [];
	for (const name of productRules) {
		if (errors[name]) continue;
		const missing = context.creating ? isEmpty(input[name]) : name in input && isEmpty(input[name]);
		if (missing) add(errors, name, `The ${name} field is required.`);
	}

	for (const [name, value] of Object.entries(input)) {
		if (errors[name] || isEmpty(value)) continue;
		if (name === 'statusKey') {
			const scope = context.statusScope;
			if (scope && !context.store.collection(scope).get(String(value))) add(errors, name, `The selected ${name} is invalid.`);
			continue;
		}
		const target = referencedCollection(name);
		if (!target || !context.store.has(target) || context.store.collection(target).size === 0) continue;
		const keys = Array.isArray(value) ? value : [value];
		if (keys.some((key) => typeof key !== 'string' || !context.store.collection(target).get(key))) {
			add(errors, name, `The selected ${name} is invalid.`);
		}
	}

	if (Object.keys(errors).length) throw validationError(errors);
	return input;
}
