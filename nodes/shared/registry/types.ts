/**
 * Types of the operation registry: the one table, derived from Makini's published
 * OpenAPI files, that drives both the Makini node's UI and its execution.
 */

export type MakiniSystem = 'eam' | 'erp' | 'wms' | 'platform';

/** The credential types the package declares: a connection's API token, or the System API client. */
export type MakiniCredentialType = 'makiniApi' | 'makiniSystemApi' | 'makiniLinkOAuth2Api';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A field type as the contract documents it, normalised. */
export type ContractFieldType =
	| 'string'
	| 'number'
	| 'integer'
	| 'boolean'
	| 'date'
	| 'object'
	| 'array'
	| 'binary'
	/** Documented only as `nullable`: any JSON value. */
	| 'json';

export interface ContractField {
	name: string;
	type: ContractFieldType;
	/** The spec marks the field required (Laravel-style `required` in its type). */
	required?: boolean;
	/** Properties of an object, or of each element of an array. */
	fields?: ContractField[];
	/** The spec types the field as an object but its example sends a list of them. */
	list?: boolean;
	/** The spec marks the field `readOnly` (set by the system, never sent). */
	readOnly?: boolean;
	/** A list the record documents but the request body does not (e.g. PurchaseOrder.lineItems). */
	recordOnly?: boolean;
}

export interface ContractOperation {
	system: MakiniSystem;
	/** Resource id in the node, camelCase singular, e.g. `workOrder`. */
	resource: string;
	/** Operation id in the node, e.g. `getMany`, `updateStatus`, `addMaterial`. */
	operation: string;
	method: HttpMethod;
	/** Documented path, with `{key}`-style placeholders. */
	path: string;
	/** The spec's summary, trimmed. */
	summary: string;
	/** A paged list with the `data`/`links`/`meta` envelope. */
	list?: boolean;
	/** The list documents `per_page`. */
	perPage?: boolean;
	/** The list documents `filter` and `sort`. */
	filterable?: boolean;
	/** Schema name of the records the operation returns. */
	schema?: string;
	/** Request body fields, when the operation documents a body. */
	body?: ContractField[];
	/** The body is an array of such objects instead of one object. */
	bodyIsArray?: boolean;
	/** The body is multipart/form-data (document upload). */
	multipart?: boolean;
}

export interface ContractTables {
	operations: ContractOperation[];
	/** Record schemas by name: the fields a list can filter and sort on. */
	schemas: Record<string, ContractField[]>;
}
