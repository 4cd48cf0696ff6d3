/**
 * A loopback proxy in front of the sandbox that records every request exactly as it
 * arrived on the wire (method, raw request target, status, request ID, or a reset) and
 * forwards it unchanged. Tests point the credential's Base URL at it, so what it records
 * is what the sandbox received: the paths a node called, and how many attempts it made.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
	method: string;
	/** The request target as received: path and query, still percent-encoded. */
	target: string;
	/** The answer's status; 0 when the sandbox reset the connection. */
	status: number;
	requestId?: string;
	ms: number;
}

export interface RecordingProxy {
	url: string;
	requests: ProxiedRequest[];
	close(): Promise<void>;
}

/** An answer the proxy gives itself instead of forwarding (a fault the sandbox cannot aim at one page). */
export type Intercept = (request: { method: string; target: string }) => { status: number; body: unknown; requestId: string } | undefined;

export async function startRecordingProxy(upstreamUrl: string, options: { intercept?: Intercept } = {}): Promise<RecordingProxy> {
	const upstream = new URL(upstreamUrl);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
	const requests: ProxiedRequest[] = [];
	const server = http.createServer((req, res) => {
		const started = performance.now();
		const entry: ProxiedRequest = { method: req.method ?? 'GET', target: req.url ?? '/', status: 0, ms: 0 };
		requests.push(entry);
		const own = options.intercept?.({ method: entry.method, target: entry.target });
		if (own) {
			req.resume();
			entry.status = own.status;
			entry.requestId = own.requestId;
			res.writeHead(own.status, { 'content-type': 'application/json', 'x-request-id': own.requestId });
			res.end(JSON.stringify(own.body));
			entry.ms = performance.now() - started;
			return;
		}
		const forward = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: upstream.host },
				agent,
			},
			(answer) => {
				entry.status = answer.statusCode ?? 0;
				const id = answer.headers['x-request-id'];
				if (typeof id === 'string') entry.requestId = id;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
				answer.on('end', () => (entry.ms = performance.now() - started));
			},
		);
		// The sandbox reset the connection: so does the proxy, so the client sees a reset too.
		forward.on('error', () => {
			entry.ms = performance.now() - started;
			res.socket?.destroy();
		});
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				agent.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
