/** A fixed-concurrency HTTP load generator over keep-alive connections (loopback only). */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';

/** The machine's load average now (1, 5, 15 min), for the log: the bench shares the machine. */
export function loadNow(): string {
	return loadavg()
		.map((x) => x.toFixed(2))
		.join(' ');
}

export interface LoadResult {
	count: number;
	/** Status → count. */
	statuses: Record<string, number>;
	errors: number;
	wallMs: number;
	perSecond: number;
	/** Time from sending to the full response, per request (ms). */
	latenciesMs: number[];
}

export interface LoadRequest {
	body: Buffer;
	headers: Record<string, string>;
}

function send(agent: Agent, url: URL, req: LoadRequest): Promise<number> {
	return new Promise((resolve, reject) => {
		const r = request(
			url,
			{ method: 'POST', agent, headers: { ...req.headers, 'content-length': String(req.body.length) } },
			(res) => {
				res.resume();
				res.once('end', () => resolve(res.statusCode ?? 0));
				res.once('error', reject);
			},
		);
		r.once('error', reject);
		r.end(req.body);
	});
}

/** Sends `make(i)` for i in [0, count) with `concurrency` requests in flight. */
export async function runLoad(url: string, count: number, concurrency: number, make: (index: number) => LoadRequest): Promise<LoadResult> {
	const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
	const target = new URL(url);
	// Bodies and signatures are made before the clock starts: only n8n is measured.
	const requests = Array.from({ length: count }, (_, i) => make(i));
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	let errors = 0;
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < count) {
			const req = requests[next++];
			const t = performance.now();
			try {
				const status = await send(agent, target, req);
				statuses[status] = (statuses[status] ?? 0) + 1;
			} catch {
				errors++;
			}
			latencies.push(performance.now() - t);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const wallMs = performance.now() - started;
	agent.destroy();
	return { count, statuses, errors, wallMs, perSecond: (count / wallMs) * 1000, latenciesMs: latencies };
}
