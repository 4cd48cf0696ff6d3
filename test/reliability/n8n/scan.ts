/**
 * Where a secret could surface in n8n, scanned for the recognisable secrets: n8n's log
 * file (debug level), every execution record as the public API returns it with data,
 * every workflow's JSON, the credentials as the public API and the editor return them,
 * and whatever the caller captured (webhook answers, node outputs). The credential store
 * itself (encrypted in n8n's database) is not counted.
 */
import { readFileSync } from 'node:fs';

import { N8nHttpError, type Execution } from '../../../e2e/lib';
import { findSecrets, secretValues, type SecretFinding } from '../lib/secrets';
import type { ReliabilityN8n } from './harness';

export interface SecretScan {
	findings: SecretFinding[];
	/** What was scanned, for the report. */
	scanned: { logLines: number; executions: number; workflows: number; credentialViews: number; captured: number };
}

async function everyExecution(ctx: ReliabilityN8n): Promise<Execution[]> {
	const out: Execution[] = [];
	let cursor: string | undefined;
	do {
		const params = new URLSearchParams({ includeData: 'true', limit: '250' });
		if (cursor) params.set('cursor', cursor);
		const page = await ctx.session.client.api<{ data: Execution[]; nextCursor?: string | null }>('GET', `/executions?${params.toString()}`);
		out.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return out;
}

async function everyWorkflow(ctx: ReliabilityN8n): Promise<unknown[]> {
	const { client } = ctx.session;
	const listed = await client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250');
	const full = await Promise.all(listed.data.map((w) => client.api<unknown>('GET', `/workflows/${encodeURIComponent(w.id)}`)));
	return [listed, ...full];
}

/** What n8n hands out about the credentials: the public API's list (if offered) and the editor's view with data. */
async function credentialViews(ctx: ReliabilityN8n): Promise<Record<string, unknown>> {
	const { client } = ctx.session;
	const views: Record<string, unknown> = {};
	try {
		views.publicList = await client.api<unknown>('GET', '/credentials?limit=250');
	} catch (error) {
		// Not every n8n version lists credentials in the public API; nothing to scan then.
		if (!(error instanceof N8nHttpError) || ![404, 405].includes(error.status)) throw error;
	}
	for (const [name, ref] of Object.entries(ctx.credentials)) {
		views[`editor.${name}`] = await client.rest<unknown>('GET', `/credentials/${encodeURIComponent(ref.id)}?includeData=true`);
	}
	return views;
}

export async function scanN8nForSecrets(ctx: ReliabilityN8n, captured: Record<string, unknown> = {}): Promise<SecretScan> {
	const secrets = secretValues(ctx.secrets);
	const log = readFileSync(ctx.session.n8n.logFile, 'utf8');
	const executions = await everyExecution(ctx);
	const workflows = await everyWorkflow(ctx);
	const credentials = await credentialViews(ctx);
	const findings = [
		...findSecrets(log.split('\n'), secrets, 'n8nLog'),
		...findSecrets(executions, secrets, 'executions'),
		...findSecrets(workflows, secrets, 'workflows'),
		...findSecrets(credentials, secrets, 'credentials'),
		...findSecrets(captured, secrets, 'captured'),
	];
	const capturedCount = Object.values(captured).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 0);
	return {
		findings,
		scanned: {
			logLines: log.split('\n').length,
			executions: executions.length,
			workflows: workflows.length - 1,
			credentialViews: Object.keys(credentials).length,
			captured: capturedCount,
		},
	};
}

/** One line for the report. */
export function describeScan(label: string, scan: SecretScan): string {
	const s = scan.scanned;
	return `${label}: secrets found ${scan.findings.length} (scanned n8n log ${s.logLines} lines, ${s.executions} execution records with data, ${s.workflows} workflows, ${s.credentialViews} credential views, ${s.captured} captured answers/items)`;
}
