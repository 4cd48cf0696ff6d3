/**
 * A loopback HTTP server that records what the node sends and answers a fixed JSON
 * body: for asserting exact request bodies the sandbox would accept either way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export interface CaptureServer {
	url: string;
	requests: CapturedRequest[];
	close(): Promise<void>;
}

export async function startCaptureServer(answer: (request: CapturedRequest) => unknown): Promise<CaptureServer> {
	const requests: CapturedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				// not JSON: kept as text
			}
			const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
			requests.push(request);
			const payload = JSON.stringify(answer(request));
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(payload);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
