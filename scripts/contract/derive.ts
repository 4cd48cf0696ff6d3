/**
 * Derives the node's operation registry from Makini's published OpenAPI files.
 *
 * `npm run derive` writes the result into nodes/shared/registry/contract/, which is
 * committed: the package builds and runs without the OpenAPI files. The contract
 * test runs this same function over ../shared/makini-api and compares, so the
 * committed tables can never drift from the published contract unnoticed.
 */
import type {
	ContractField,
	ContractFieldType,
	ContractOperation,
	ContractTables,
	HttpMethod,
	MakiniSystem,
} from '../../nodes/shared/registry/types';

/* The subset of OpenAPI 3 this contract uses. */
interface OasSchema {
	type?: string;
	format?: string;
	properties?: Record<string, OasSchema> | unknown[];
	items?: OasSchema;
	$ref?: string;
	example?: unknown;
	readOnly?: boolean;
}
interface OasParameter {
	name: string;
	in: string;
}
interface OasOperation {
	summary?: string;
	parameters?: OasParameter[];
	requestBody?: { content: Record<string, { schema: OasSchema }> };
	responses?: Record<string, { content?: Record<string, { schema: OasSchema }> }>;
}
export interface OasDocument {
	paths: Record<string, Partial<Record<string, OasOperation>>>;
	components?: { schemas?: Record<string, OasSchema> };
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** The platform operations (system spec) have no common shape: each is named here. */
const PLATFORM_OPERATIONS: Record<string, [resource: string, operation: string]> = {
	'GET /api/integrations/current': ['connection', 'getStatus'],
	'DELETE /api/integrations/current': ['connection', 'disconnect'],
	'GET /api/system/connections': ['connection', 'getMany'],
	'POST /api/system/connections': ['connection', 'create'],
	'DELETE /api/system/connections/{id}': ['connection', 'delete'],
	'GET /api/system/connections/{id}/metadata': ['connection', 'getMetadata'],
	'POST /api/system/connections/{id}/metadata': ['connection', 'setMetadata'],
	'POST /api/system/connections/{id}/token': ['connection', 'issueToken'],
	'GET /api/system/platforms': ['platform', 'getMany'],
	'GET /api/system/client': ['client', 'get'],
	'POST /api/passthrough': ['passthrough', 'call'],
	'GET /api/raw/tables': ['rawData', 'getTables'],
	'GET /api/raw/tables/{table}/data': ['rawData', 'getTableData'],
};

/** Path segments whose singular is not the segment minus its plural ending. */
const SINGULAR: Record<string, string> = {
	uom: 'unitOfMeasure',
	pm: 'preventiveMaintenance',
	bom: 'billOfMaterial',
	rfq: 'requestForQuotation',
	'assets-downtime': 'assetDowntime',
	'purchase-orders.line-items': 'purchaseOrderLineItem',
	inventories: 'inventory',
	receiving: 'receiving',
	groups: 'productGroup',
	'custom-fields': 'customField',
	companies: 'company',
	currencies: 'currency',
	taxes: 'tax',
	children: 'child',
	delivered: 'delivered',
	status: 'status',
};

export function camelCase(segment: string): string {
	return segment.replace(/[-.]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function singularId(segment: string): string {
	if (SINGULAR[segment]) return SINGULAR[segment];
	const camel = camelCase(segment);
	return camel.endsWith('s') ? camel.slice(0, -1) : camel;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Names an entity operation from the shape of its path. */
export function nameEntityOperation(method: HttpMethod, path: string): [string, string] {
	const segments = path.split('/').slice(3); // drop '', 'api', family
	const isParam = (s: string | undefined) => s !== undefined && s.startsWith('{');
	const [entity, second, third, fourth] = segments;

	if (entity === 'statuses' && second && segments.length === 2 && method === 'GET') {
		return [singularId(second), 'getStatuses'];
	}
	const resource = singularId(entity);
	if (segments.length === 1) {
		if (method === 'GET') return [resource, 'getMany'];
		if (method === 'POST') return [resource, 'create'];
	}
	if (segments.length === 2 && isParam(second)) {
		if (method === 'GET') return [resource, 'get'];
		if (method === 'PUT') return [resource, 'update'];
	}
	if (segments.length === 2 && !isParam(second) && method === 'GET') {
		// A list across all records of the entity, e.g. /work-orders/materials.
		return [resource, `getMany${pascal(camelCase(second))}`];
	}
	if (segments.length === 3 && isParam(second) && third) {
		if (third === 'status' && method === 'PUT') return [resource, 'updateStatus'];
		if (method === 'GET') return [resource, `get${pascal(camelCase(third))}`];
		if (method === 'PUT') return [resource, `update${pascal(camelCase(third))}`];
		if (method === 'POST') {
			// POST .../materials adds one; POST .../delivered marks the record delivered.
			return third.endsWith('s')
				? [resource, `add${pascal(singularId(third))}`]
				: [resource, `mark${pascal(camelCase(third))}`];
		}
	}
	if (segments.length === 4 && isParam(second) && third && isParam(fourth) && method === 'PUT') {
		return [resource, `update${pascal(singularId(third))}`];
	}
	throw new Error(`No naming rule for ${method} ${path}: extend nameEntityOperation`);
}

/** Normalises the spec's type strings, which mix JSON Schema types with Laravel rules. */
export function normaliseType(schema: OasSchema): { type: ContractFieldType; required: boolean } {
	const raw = `${schema.type ?? ''}|${schema.format ?? ''}`;
	const parts = raw.split('|');
	const required = parts.includes('required');
	let type: ContractFieldType;
	if (parts.includes('binary')) type = 'binary';
	else if (parts.includes('boolean')) type = 'boolean';
	else if (parts.includes('integer')) type = 'integer';
	else if (parts.includes('number') || parts.includes('numeric')) type = 'number';
	else if (parts.includes('date')) type = 'date';
	else if (parts.includes('object')) type = 'object';
	else if (parts.includes('array')) type = 'array';
	else if (parts.includes('string') || parts.includes('email')) type = 'string';
	else type = 'json';
	return { type, required };
}

function resolve(doc: OasDocument, schema: OasSchema): OasSchema {
	if (schema.$ref) {
		const name = schema.$ref.split('/').pop() as string;
		return doc.components?.schemas?.[name] ?? {};
	}
	return schema;
}

function deriveFields(doc: OasDocument, schema: OasSchema, depth = 0): ContractField[] {
	const props = schema.properties;
	if (!props || Array.isArray(props)) return [];
	const example =
		schema.example && typeof schema.example === 'object' ? (schema.example as Record<string, unknown>) : {};
	return Object.entries(props).map(([name, raw]) => {
		const prop = resolve(doc, raw);
		const { type, required } = normaliseType(prop);
		const field: ContractField = { name, type: depth > 0 ? itemType(name, type, prop) : type };
		if (required) field.required = true;
		if (prop.readOnly === true) field.readOnly = true;
		if (depth < 2) {
			if (type === 'object') {
				const nested = deriveFields(doc, prop, depth + 1);
				if (nested.length) field.fields = nested;
				if (Array.isArray(example[name])) field.list = true;
			} else if (type === 'array' && prop.items) {
				const nested = deriveFields(doc, resolve(doc, prop.items), depth + 1);
				if (nested.length) field.fields = nested;
			}
		}
		return field;
	});
}

/**
 * Fields of list items (line items, tasks) are often typed `object` with a text example
 * although they are amounts or dates (POLineItem.quantity, .price, .deliveryAt): a
 * structure-less object is read by its name, so a line's quantity is sent as a number.
 */
const NUMERIC_NAME = /(^|[a-z])(quantity|Quantity|price|Price|discount|Discount|Value|cost|Cost|amount|Amount|total|Total|rate|Rate)$/;
function itemType(name: string, type: ContractFieldType, prop: OasSchema): ContractFieldType {
	if ((type !== 'object' && type !== 'json') || prop.properties || prop.$ref) return type;
	if (NUMERIC_NAME.test(name)) return 'number';
	if (/[a-z](At|Date)$/.test(name)) return 'date';
	return type;
}

function responseSchemaName(doc: OasDocument, op: OasOperation): string | undefined {
	const schema = op.responses?.['200']?.content?.['application/json']?.schema;
	const data = schema && !Array.isArray(schema.properties) ? schema.properties?.data : undefined;
	const ref = data?.$ref ?? data?.items?.$ref;
	if (ref) return ref.split('/').pop();
	// Some sub-lists document only `{type: object}` but name their records in the summary
	// ("Get a MaterialItem Material"): use that schema when the document defines it.
	const named = /^Get an? ([A-Z]\w*) /.exec(op.summary?.trim() ?? '')?.[1];
	return named && doc.components?.schemas?.[named] ? named : undefined;
}

/**
 * Line lists that a request body documents only as `array` (or not at all) take their
 * element fields from the same list in the record the operation returns, e.g. a sales
 * order's `lines` from SalesOrder.lines (SalesLineItem), an invoice's `lineItem` from
 * Invoice.lineItems.
 */
function withRecordItemFields(doc: OasDocument, body: ContractField[], recordSchema: string | undefined): ContractField[] {
	const record = recordSchema ? doc.components?.schemas?.[recordSchema] : undefined;
	const props = record?.properties;
	if (!props || Array.isArray(props)) return body;
	return body.map((field) => {
		// A list in the body: typed array, or untyped (`nullable`) with a plural name.
		const isList = field.type === 'array' || (field.type === 'json' && /[^s]s$/.test(field.name));
		if (field.fields || !isList) return field;
		const counterpart = props[field.name] ?? props[`${field.name}s`];
		const itemRef = counterpart?.type === 'array' ? counterpart.items?.$ref : undefined;
		if (!itemRef) return field;
		const fields = deriveFields(doc, resolve(doc, { $ref: itemRef }), 1);
		return fields.length ? { ...field, fields, list: true } : field;
	});
}

/**
 * Lists the record documents (an array of a named schema) but its create and update body
 * does not, e.g. PurchaseOrder.lineItems: offered too, marked `recordOnly`, so the form
 * can say where the fields come from. A list the body has under a singular name
 * (Invoice's `lineItem`) is not offered twice.
 */
function withRecordOnlyLists(doc: OasDocument, body: ContractField[], recordSchema: string | undefined): ContractField[] {
	const record = recordSchema ? doc.components?.schemas?.[recordSchema] : undefined;
	const props = record?.properties;
	// An empty body (a sales order's update) is read as the create's: nothing to add to.
	if (!props || Array.isArray(props) || !body.length) return body;
	const documented = new Set(body.flatMap((field) => [field.name, `${field.name}s`]));
	const extra: ContractField[] = [];
	for (const [name, prop] of Object.entries(props)) {
		const itemRef = prop.type === 'array' ? prop.items?.$ref : undefined;
		if (!itemRef || documented.has(name)) continue;
		const fields = deriveFields(doc, resolve(doc, { $ref: itemRef }), 1);
		if (fields.length) extra.push({ name, type: 'array', fields, list: true, recordOnly: true });
	}
	return [...body, ...extra];
}

function isListResponse(op: OasOperation): boolean {
	const schema = op.responses?.['200']?.content?.['application/json']?.schema;
	const props = schema && !Array.isArray(schema.properties) ? schema.properties : undefined;
	return Boolean(props?.meta && props?.data?.type === 'array');
}

/** Derives one family's operations and record schemas from its OpenAPI document. */
export function deriveSystem(system: MakiniSystem, doc: OasDocument): ContractTables {
	const operations: ContractOperation[] = [];
	const usedSchemas = new Set<string>();
	for (const [path, item] of Object.entries(doc.paths)) {
		for (const method of METHODS) {
			const op = item[method.toLowerCase()];
			if (!op) continue;
			const [resource, operation] =
				system === 'platform'
					? (PLATFORM_OPERATIONS[`${method} ${path}`] ??
						((): never => {
							throw new Error(`Unnamed platform operation ${method} ${path}`);
						})())
					: nameEntityOperation(method, path);
			const entry: ContractOperation = {
				system,
				resource,
				operation,
				method,
				path,
				summary: (op.summary ?? '').trim(),
			};
			const query = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
			if (isListResponse(op) || query.has('page')) entry.list = true;
			if (query.has('per_page')) entry.perPage = true;
			if (query.has('filter')) entry.filterable = true;
			const schema = responseSchemaName(doc, op);
			if (schema) {
				entry.schema = schema;
				usedSchemas.add(schema);
			}
			const content = op.requestBody?.content;
			if (content) {
				const [contentType, { schema: bodySchema }] = Object.entries(content)[0];
				if (contentType === 'multipart/form-data') entry.multipart = true;
				if (bodySchema.type === 'array' && bodySchema.items) {
					entry.bodyIsArray = true;
					entry.body = deriveFields(doc, resolve(doc, bodySchema.items));
				} else {
					const body = withRecordItemFields(doc, deriveFields(doc, bodySchema), schema);
					const entityWrite = system !== 'platform' && (operation === 'create' || operation === 'update');
					entry.body = entityWrite ? withRecordOnlyLists(doc, body, schema) : body;
				}
			}
			operations.push(entry);
		}
	}
	const schemas: Record<string, ContractField[]> = {};
	for (const name of [...usedSchemas].sort()) {
		const schema = doc.components?.schemas?.[name];
		// Nested structure of records is not needed for filters and sort: top level only.
		schemas[name] = schema ? deriveFields(doc, schema, 2) : [];
	}
	return { operations, schemas };
}

export const SPEC_FILES: Record<MakiniSystem, string> = {
	eam: 'oas3_eam.json',
	erp: 'oas3_erp.json',
	wms: 'oas3_wms.json',
	platform: 'oas3_system.json',
};
