/** The shapes most documented operations share: list, get, create, update, status change. */
import { validationError } from '../http/errors';
import { listBody } from './listing';
import { collectionFor, createRecord, findRecord, present, productFor, statusScope, updateRecord } from './records';
import type { ApiCall, ApiResult } from './types';
import { objectBody, validateBody } from './validate';

export function list(call: ApiCall): ApiResult {
	const name = collectionFor(call.op);
	const collection = call.state.store.collection(name);
	return { body: listBody(call.state, call.path, call.query, collection, { present: (row) => present(call.state, name, row) }) };
}

export function get(call: ApiCall): ApiResult {
	const collection = collectionFor(call.op);
	return { body: { data: present(call.state, collection, findRecord(call.state, collection, call.params.key, call.op.resource)) } };
}

export function create(call: ApiCall): ApiResult {
	const collection = collectionFor(call.op);
	const body = validateBody(call.op, call.body, {
		store: call.state.store,
		product: productFor(call),
		creating: true,
		statusScope: statusScope(call.state, collection),
	});
	const record = createRecord(call.state, collection, body);
	return { body: { data: record }, write: { kind: 'create', key: record.key } };
}

export function update(call: ApiCall): ApiResult {
	const collection = collectionFor(call.op);
	const record = findRecord(call.state, collection, call.params.key, call.op.resource);
	const body = validateBody(call.op, call.body, {
		store: call.state.store,
		product: productFor(call),
		creating: false,
		statusScope: statusScope(call.state, collection),
	});
	const updated = updateRecord(call.state, collection, record, body);
	return { body: { data: present(call.state, collection, updated) }, write: { kind: 'update', key: record.key } };
}

/**
 * PUT .../{key}/status: CONTRACT.md sends {statusKey}, several specs {status}; either
 * may name the status by key, code or name, checked against /statuses/<entity>.
 */
export function updateStatus(call: ApiCall): ApiResult {
	const collection = collectionFor(call.op);
	const record = findRecord(call.state, collection, call.params.key, call.op.resource);
	const body = objectBody(call.body);
	const field = body.statusKey !== undefined ? 'statusKey' : 'status';
	const wanted = body[field];
	if (wanted === undefined || wanted === null || String(wanted).trim() === '') {
		throw validationError({ statusKey: ['The statusKey field is required.'] });
	}
	const scope = statusScope(call.state, collection);
	const statuses = scope ? call.state.store.collection(scope).rows : [];
	const text = String(wanted).toLowerCase();
	const status = statuses.find((s) => s.key === wanted || String(s.code).toLowerCase() === text || String(s.name).toLowerCase() === text);
	if (!status) {
		const allowed = statuses.map((s) => `${s.code} (${s.key})`).join(', ');
		throw validationError({ [field]: [`The selected ${field} is invalid. Valid statuses: ${allowed}.`] });
	}
	const updated = updateRecord(call.state, collection, record, { statusKey: status.key });
	return { body: { data: present(call.state, collection, updated) }, write: { kind: 'update', key: record.key } };
}

/** POST /documents: multipart `file` + `name` as documented (a JSON body with a url also works). */
export function createDocument(call: ApiCall): ApiResult {
	const fields = (call.body ?? {}) as Record<string, unknown>;
	const file = call.files.find((f) => f.field === 'file') ?? call.files[0];
	if (!file && typeof fields.url !== 'string') {
		throw validationError({ file: ['The file field is required.'] });
	}
	const name = typeof fields.name === 'string' && fields.name ? fields.name : (file?.filename ?? 'document');
	const entityKeys = typeof fields.entityKeys === 'string' ? fields.entityKeys.split(',').filter(Boolean) : Array.isArray(fields.entityKeys) ? fields.entityKeys : [];
	// The key is drawn first so the stored URL can name it.
	const key = call.state.store.keys.next();
	const url = typeof fields.url === 'string' ? fields.url : `https://files.makini.example/documents/${key}/${encodeURIComponent(file?.filename ?? name)}`;
	const record = createRecord(call.state, 'documents', {}, {
		key,
		name,
		url,
		entityKeys,
		type: typeof fields.type === 'string' ? fields.type : 'Attachment',
		contentType: file?.contentType ?? (typeof fields.contentType === 'string' ? fields.contentType : 'application/octet-stream'),
		description: typeof fields.description === 'string' ? fields.description : null,
		size: file?.size ?? null,
	});
	return { body: { data: record }, write: { kind: 'create', key: record.key } };
}
