/**
 * The Makini sandbox over HTTP, as the examples' scenarios and the demo drive it: its API
 * with the connection's token, and its control API.
 */
import { PO_NUMBER_FIELD, type ImportedExample } from './examples';
import type { MakiniEndpoint } from './index';
import { waitFor } from './wait';

/** The Makini sandbox over HTTP: its API with the connection's token, and its control API. */
export class SandboxClient {
	constructor(readonly endpoint: MakiniEndpoint) {}

	private async call<T>(method: string, path: string, body: unknown, auth: boolean): Promise<T> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (auth) headers.authorization = `Bearer ${this.endpoint.apiToken}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(this.endpoint.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await response.text();
		if (!response.ok) throw new Error(`Sandbox ${method} ${path.split('?')[0]} answered ${response.status}: ${text.slice(0, 300)}`);
		return (text ? (JSON.parse(text) as { data: T }).data : undefined) as T;
	}

	/** GET /api/... with the primary connection's token; answers the `data` of the envelope. */
	async api<T>(path: string): Promise<T> {
		return await this.call<T>('GET', `/api${path}`, undefined, true);
	}

	/** The control API under /__sandbox. */
	async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
		return await this.call<T>(method, `/__sandbox/${path}`, body, false);
	}

	async registerWebhook(url: string, events?: string[]): Promise<{ id: string }> {
		return await this.admin('POST', 'webhooks/targets', { url, secret: this.endpoint.webhookSecret, events });
	}

	/** Plays the Makini dashboard: every Makini Trigger URL of the imported examples becomes a webhook target. */
	async registerExampleWebhooks(examples: ImportedExample[]): Promise<Array<{ id: string; url: string }>> {
		const targets: Array<{ id: string; url: string }> = [];
		for (const example of examples) {
			for (const webhook of example.webhooks) {
				const target = await this.registerWebhook(webhook.url, webhook.events.length ? webhook.events : undefined);
				targets.push({ id: target.id, url: webhook.url });
			}
		}
		return targets;
	}

	/** The sender's delivery attempts with the status each got (to explain a missing execution). */
	async webhookLog(): Promise<Array<Record<string, unknown>>> {
		return await this.admin('GET', 'webhooks/log');
	}

	async setAutoWebhooks(enabled: boolean): Promise<void> {
		await this.admin('POST', 'webhooks/auto', { enabled });
	}

	async setSyncStatus(syncStatus: string): Promise<void> {
		await this.admin('POST', 'connections/primary/sync-status', { sync_status: syncStatus });
	}

	async alerts(): Promise<Array<{ receivedAt: string; body: Record<string, unknown> }>> {
		return await this.admin('GET', 'alerts');
	}

	async clearAlerts(): Promise<void> {
		await this.admin('DELETE', 'alerts');
	}

	/** Changes records as the connected system would (automatic webhooks fire when on). */
	async upsert(collection: string, record: Record<string, unknown>): Promise<Record<string, unknown>> {
		const [written] = await this.admin<Array<Record<string, unknown>>>('POST', `records/${collection}`, { records: [record] });
		return written;
	}

	/** How many requests the sandbox answered for a documented path, e.g. `GET /api/integrations/current`. */
	async requestCount(operation: string): Promise<number> {
		const stats = await this.admin<{ requests: Record<string, Record<string, number>> }>('GET', 'stats');
		return Object.values(stats.requests[operation] ?? {}).reduce((sum, n) => sum + n, 0);
	}

	/**
	 * Waits until a polling trigger has polled `polls` more times. n8n 2.x activates a
	 * workflow in the background after the API answers, and a trigger's first poll only
	 * records the current state: a change made before it would be that state, not a change.
	 */
	async waitForPolls(operation: string, polls: number, timeoutMs = 60_000): Promise<void> {
		const start = await this.requestCount(operation);
		await waitFor(`${polls} polls (${operation})`, timeoutMs, async () => ((await this.requestCount(operation)) >= start + polls ? true : undefined));
	}

	async statusKey(family: 'eam' | 'erp', entity: string, name: string): Promise<string> {
		const statuses = await this.api<Array<{ key: string }>>(`/${family}/statuses/${entity}?filter[name]=${encodeURIComponent(name)}`);
		if (!statuses[0]) throw new Error(`The sandbox has no ${entity} status "${name}"`);
		return statuses[0].key;
	}

	async workOrder(key: string): Promise<Record<string, unknown>> {
		return await this.api(`/eam/work-orders/${encodeURIComponent(key)}`);
	}

	async workOrderParts(key: string): Promise<Array<Record<string, unknown>>> {
		return await this.api(`/eam/work-orders/${encodeURIComponent(key)}/materials?per_page=200`);
	}

	async purchaseOrdersNumbered(orderNo: string): Promise<Array<Record<string, unknown>>> {
		return await this.api(`/erp/purchase-orders?filter[orderNo]=${encodeURIComponent(orderNo)}&per_page=200`);
	}

	/**
	 * Work orders that have parts, are open but not yet waiting on material and have no PO:
	 * the ones a scenario can send down the "needs parts" path. Distinct, in a stable order.
	 */
	async workOrdersWithParts(count: number, exclude: Set<string> = new Set()): Promise<Array<Record<string, unknown>>> {
		const lines = await this.api<Array<{ workOrderKey: string }>>('/eam/work-orders/materials?per_page=200');
		const found: Array<Record<string, unknown>> = [];
		for (const key of [...new Set(lines.map((line) => line.workOrderKey))]) {
			if (exclude.has(key)) continue;
			const workOrder = await this.workOrder(key);
			if (['Waiting on Approval', 'Approved', 'Waiting to be Scheduled', 'In Progress'].includes(String(workOrder.status)) && !workOrder[PO_NUMBER_FIELD]) {
				found.push(workOrder);
				if (found.length === count) return found;
			}
		}
		throw new Error(`The sandbox has fewer than ${count} open work orders with parts`);
	}
}
