/** Reading request bodies and writing JSON answers, with Node's http module only. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError } from './errors';

const MAX_BODY = 20 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new ApiError(400, 'The request body is too large.'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export interface ParsedBody {
	/** JSON value, form fields as an object, or multipart fields. */
	value: unknown;
	/** Files of a multipart body. */
	files: Array<{ field: string; filename: string; contentType: string; size: number }>;
}

/** Parses JSON, form-encoded and multipart bodies; a malformed JSON body is a 400. */
export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
	const type = (contentType ?? '').toLowerCase();
	if (raw.length === 0) return { value: undefined, files: [] };
	if (type.startsWith('application/x-www-form-urlencoded')) {
		return { value: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
	}
	// The boundary is case-sensitive: read it from the header as sent.
	if (type.startsWith('multipart/form-data')) return parseMultipart(raw, contentType ?? '');
	try {
		return { value: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
	} catch {
		throw new ApiError(400, 'The request body is not valid JSON.');
	}
}

function parseMultipart(raw: Buffer, contentType: string): ParsedBody {
	const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
	if (!boundary) throw new ApiError(400, 'The multipart body has no boundary.');
	const fields: Record<string, string> = {};
	const files: ParsedBody['files'] = [];
	const delimiter = Buffer.from(`--${boundary}`);
	let start = raw.indexOf(delimiter);
	while (start !== -1) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next === -1) break;
		const part = raw.subarray(start + delimiter.length + 2, next - 2);
		const split = part.indexOf('\r\n\r\n');
		if (split !== -1) {
			const head = part.subarray(0, split).toString('utf8');
			const content = part.subarray(split + 4);
			const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
			const filename = /filename="([^"]*)"/i.exec(head)?.[1];
			if (filename !== undefined) {
				const partType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
				files.push({ field: name, filename, contentType: partType.trim(), size: content.length });
			} else {
				fields[name] = content.toString('utf8');
			}
		}
		start = next;
	}
	return { value: fields, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}
