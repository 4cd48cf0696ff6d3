/**
 * HTTP/1.1 written byte for byte on a socket: Node's HTTP client refuses what an
 * attacker would send (header names with lookalike characters, repeated headers in a
 * chosen order, invalid UTF-8 in a value), so forged requests go out this way. One
 * connection per request (`Connection: close`); the answer is read to the end.
 */
import net from 'node:net';

export interface RawRequest {
	method?: string;
	/** Header lines in order, exactly as written (name and value are not checked). */
	headers: Array<[string, string | Buffer]>;
	body: Buffer;
	/** Content-Length is added from the body unless a header already names one. */
	contentLength?: boolean;
}

export interface RawAnswer {
	status: number;
	body: string;
}

function decodeChunked(data: Buffer): Buffer {
	const parts: Buffer[] = [];
	let offset = 0;
	while (offset < data.length) {
		const lineEnd = data.indexOf('\r\n', offset);
		if (lineEnd === -1) break;
		const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
		if (!(size > 0)) break;
		parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
		offset = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}

export function parseAnswer(data: Buffer): RawAnswer {
	const headEnd = data.indexOf('\r\n\r\n');
	const head = data.subarray(0, headEnd === -1 ? data.length : headEnd).toString('latin1');
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
	let body = headEnd === -1 ? Buffer.alloc(0) : data.subarray(headEnd + 4);
	if (/^transfer-encoding:\s*chunked/im.test(head)) body = decodeChunked(body);
	return { status, body: body.toString('utf8') };
}

/** Sends one request to `url` (http, loopback) and resolves with the status and body; status 0 when the connection failed. */
export function sendRaw(url: string, request: RawRequest, timeoutMs = 30_000): Promise<RawAnswer & { error?: string }> {
	const target = new URL(url);
	const lines: Buffer[] = [Buffer.from(`${request.method ?? 'POST'} ${target.pathname}${target.search} HTTP/1.1\r\n`, 'latin1')];
	const names = request.headers.map(([name]) => name.toLowerCase());
	const headers: Array<[string, string | Buffer]> = [['Host', target.host], ...request.headers, ['Connection', 'close']];
	if (request.contentLength !== false && !names.includes('content-length')) headers.push(['Content-Length', String(request.body.length)]);
	for (const [name, value] of headers) {
		lines.push(Buffer.from(`${name}: `, 'utf8'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
	}
	lines.push(Buffer.from('\r\n'), request.body);
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (error?: string) => {
			if (settled) return;
			settled = true;
			const data = Buffer.concat(chunks);
			const answer = data.length ? parseAnswer(data) : { status: 0, body: '' };
			resolve(error && !answer.status ? { ...answer, error } : answer);
		};
		const socket = net.connect({ host: target.hostname, port: Number(target.port) }, () => socket.write(Buffer.concat(lines)));
		socket.setTimeout(timeoutMs, () => {
			socket.destroy();
			finish(`no answer within ${timeoutMs} ms`);
		});
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		// The server may answer (413, 431) and close before it read the whole request.
		socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
		socket.on('close', () => finish());
	});
}
