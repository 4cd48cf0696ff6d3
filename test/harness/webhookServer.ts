/**
 * A loopback HTTP server that feeds real requests into a trigger's webhook() as n8n's
 * webhook server does: the body read whole (limit 16 MB, n8n's default, else 413), its
 * bytes kept as `rawBody`, JSON parsed for application/json (malformed JSON answered
 * 422 by n8n before the node runs), then the node's answer or n8n's written back.
 * Only POST to the webhook path is served. Binds 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { buildRequest, parseLikeN8n, RecordingResponse, type DeliveryOutcome, type WebhookHarness } from './webhook';

/** n8n's N8N_PAYLOAD_SIZE_MAX default (MB). */
const N8N_PAYLOAD_MAX_BYTES = 16 * 1024 * 1024;
export const WEBHOOK_PATH = '/webhook/makini';

export interface WebhookServer {
	url: string;
	/** Every request's outcome, in the order they were answered. */
	outcomes: DeliveryOutcome[];
	close(): Promise<void>;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function write(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, { 'content-type': headers['content-type'] ?? 'application/json; charset=utf-8', ...headers });
	res.end(text);
}

export async function startWebhookServer(
	harness: WebhookHarness,
	options: { execution?: 'succeeds' | 'fails'; payloadMaxBytes?: number } = {},
): Promise<WebhookServer> {
	const outcomes: DeliveryOutcome[] = [];
	const server = http.createServer((req, res) => {
		void (async () => {
			if (req.method !== 'POST' || req.url?.split('?')[0] !== WEBHOOK_PATH) {
				return write(res, 404, { message: 'The requested webhook is not registered.' });
			}
			const raw = await readBody(req, options.payloadMaxBytes ?? N8N_PAYLOAD_MAX_BYTES);
			if (raw === 'tooLarge') return write(res, 413, { message: 'request entity too large' });
			let body: unknown;
			try {
				body = parseLikeN8n(raw, req.headers['content-type']);
			} catch (error) {
				return write(res, 422, { message: 'Failed to parse request body', hint: (error as Error).message });
			}
			const request = buildRequest({ headers: req.headers, rawBody: raw, body, url: req.url });
			const recording = new RecordingResponse();
			try {
				const outcome = await harness.handle(request, recording, options.execution ?? 'succeeds');
				outcomes.push(outcome);
				write(res, outcome.answer.status, outcome.answer.body, outcome.answer.headers);
			} catch (error) {
				// n8n answers a node that throws with 500 and the error message.
				write(res, 500, { code: 0, message: (error as Error).message });
			}
		})().catch((error: unknown) => {
			if (!res.headersSent) write(res, 500, { message: (error as Error).message });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
		outcomes,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
