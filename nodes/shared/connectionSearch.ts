/**
 * The Connection parameter's "From List": the System API client's connections, searched
 * on customer name, email, platform and tags (the System API documents no filter, so the
 * search runs here over the listed connections).
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { makiniCollect } from './transport';

const PAGE_SIZE = 100;

/** Bounds a misbehaving server; Makini clients have tens to thousands of connections. */
const MAX_CONNECTIONS = 10_000;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function connectionTags(connection: IDataObject): string[] {
	const tags = connection.tags;
	if (Array.isArray(tags)) return tags.map(text).filter(Boolean);
	if (typeof tags === 'string' && tags.trim()) {
		const trimmed = tags.trim();
		if (trimmed.startsWith('[')) {
			try {
				const parsed: unknown = JSON.parse(trimmed);
				if (Array.isArray(parsed)) return parsed.map(text).filter(Boolean);
			} catch {
				// Not JSON: a comma-separated list.
			}
		}
		return trimmed.split(',').map((t) => t.trim()).filter(Boolean);
	}
	return [];
}

export function connectionId(connection: IDataObject): string {
	return text(connection.key) || text(connection.id);
}

/** What a connection is searched on: name, email, platform (integration name or provider) and tags. */
export function connectionSearchText(connection: IDataObject): string {
	return [connection.name, connection.company_name, connection.email, connection.integration_name, connection.provider, ...connectionTags(connection), connectionId(connection)]
		.map(text)
		.join(' ')
		.toLowerCase();
}

export function connectionLabel(connection: IDataObject): string {
	const name = text(connection.name) || text(connection.company_name) || connectionId(connection);
	const platform = text(connection.integration_name) || text(connection.provider);
	const tags = connectionTags(connection);
	return [name, platform, tags.length ? tags.join(', ') : ''].filter(Boolean).join(' · ');
}

export async function searchConnections(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const all = await makiniCollect.call(this, { method: 'GET', path: '/api/system/connections', credentialType: 'makiniSystemApi' }, { limit: MAX_CONNECTIONS });
	const words = (filter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const found = all.filter((c) => connectionId(c) && words.every((word) => connectionSearchText(c).includes(word)));
	const offset = Math.max(0, Number(paginationToken) || 0);
	return {
		results: found.slice(offset, offset + PAGE_SIZE).map((c) => ({ name: connectionLabel(c), value: connectionId(c) })),
		paginationToken: offset + PAGE_SIZE < found.length ? String(offset + PAGE_SIZE) : undefined,
	};
}
