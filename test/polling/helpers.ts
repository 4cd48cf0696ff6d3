/**
 * The polling triggers against the sandbox over loopback: a sandbox per test file,
 * credentials as n8n would hold them, and a poller that keeps the node's static data
 * between polls exactly as n8n does (kept only when a poll returns).
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox';
import { runPoll } from '../harness/execute';
import type { CredentialStore } from '../harness/http';

export function credentialsOf(sb: Pick<SandboxHandle, 'url' | 'apiToken' | 'systemClientId' | 'systemClientSecret'>, apiToken = sb.apiToken): CredentialStore {
	return {
		makiniApi: { apiToken, baseUrl: sb.url },
		makiniSystemApi: { clientId: sb.systemClientId, clientSecret: sb.systemClientSecret, baseUrl: sb.url, accessToken: '' },
	};
}

/** Starts a sandbox before the file's tests and closes it after them. */
export function useSandbox(options: SandboxOptions = {}): { sb: SandboxHandle } {
	const env = {} as { sb: SandboxHandle };
	beforeAll(async () => {
		env.sb = await startSandbox({ port: 0, workOrders: 120, autoWebhooks: false, ...options });
	});
	afterAll(async () => {
		await env.sb?.close();
	});
	return env;
}

/** One workflow's trigger: its parameters, credentials and static data across polls. */
export class Poller {
	/** The workflow's static data as n8n has it saved. */
	readonly workflowStaticData: IDataObject = {};
	polls = 0;

	constructor(
		readonly nodeType: INodeType,
		public parameters: INodeParameters,
		public credentials: CredentialStore,
	) {}

	/** The trigger's own static data (n8n keeps it under `node:<node name>`). */
	get staticData(): IDataObject {
		const name = this.nodeType.description.defaults.name ?? this.nodeType.description.displayName;
		return (this.workflowStaticData[`node:${name}`] as IDataObject | undefined) ?? {};
	}

	/** An activated workflow's poll. */
	async poll(): Promise<IDataObject[]> {
		this.polls++;
		return await this.run('trigger');
	}

	/** "Fetch Test Event" in the editor. */
	async manual(): Promise<IDataObject[]> {
		return await this.run('manual');
	}

	private async run(mode: 'trigger' | 'manual'): Promise<IDataObject[]> {
		const { items } = await runPoll(this.nodeType, {
			parameters: this.parameters,
			credentials: this.credentials,
			staticData: this.workflowStaticData,
			mode,
		});
		return items.map((item) => item.json);
	}
}

/** A small deterministic PRNG (mulberry32) so that every run makes the same changes. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A loopback proxy in front of the sandbox that behaves like a stricter or sloppier
 * Makini: `rewrite` may change the query, or answer itself with a status.
 */
export async function startProxy(
	target: string,
	rewrite: (query: URLSearchParams) => number | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', target);
		const status = rewrite(url.searchParams);
		if (status) {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ error: { code: 'INVALID_REQUEST', message: 'Sorting by this field is not supported.' } }));
			return;
		}
		const upstream = http.request(url, { method: request.method, headers: request.headers }, (answer) => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		request.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
