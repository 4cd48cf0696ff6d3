/**
 * A V8 CPU profile of the n8n process (V8's sampling profiler, from a preload), cut to
 * the time windows a case measured and summarised by self time: per function and file,
 * and per part (n8n's expression engine, the Makini package, n8n itself, …). V8 stamps
 * samples with the monotonic clock, as `process.hrtime` does, so a window recorded here
 * selects the samples taken during it. The profile is written when n8n exits.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../e2e/lib/wait';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
	/** Filled in here: the caller's node. */
	parent?: number;
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

/** Monotonic microseconds, on V8's profile clock. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export interface Window {
	label: string;
	startUs: number;
	endUs: number;
}

export interface ProfileLine {
	name: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	label: string;
	totalMs: number;
	parts: ProfileLine[];
	/** By self time. */
	functions: ProfileLine[];
	/** By total time (the function and all it called), for the landmarks of a delivery (LANDMARKS). */
	landmarks: ProfileLine[];
}

/**
 * The calls a delivery's CPU is attributed to by total time: n8n's webhook phase and
 * execution, the expression isolates, credential reads, static data and the database,
 * and the package's own entry point.
 */
const LANDMARKS: Array<[string, RegExp]> = [
	["n8n: webhook request (LiveWebhooks.executeWebhook)", /^executeWebhook n8n\/dist\/webhooks\/live-webhooks\.js/],
	["n8n: webhook phase (WebhookHelpers.executeWebhook)", /^executeWebhook n8n\/dist\/webhooks\/webhook-helpers\.js/],
	['Makini Trigger: webhook() (the whole node)', /^webhook n8n-nodes-makini\//],
	['Makini Trigger: receiveDelivery', /^receiveDelivery n8n-nodes-makini\//],
	['n8n: getCredentials (node context)', /^getCredentials n8n-core\//],
	['n8n: expression isolate acquired (acquire)', /^acquire @n8n\/expression-runtime\//],
	['n8n: expression isolate built (IsolatedVmBridge + initialize)', /^(IsolatedVmBridge|initialize|initializeSync) @n8n\/expression-runtime\/dist\/cjs\/bridge\//],
	['n8n: expression isolate disposed', /^dispose @n8n\/expression-runtime\/dist\/cjs\/bridge\//],
	['n8n: expression evaluated (bridge execute)', /^execute @n8n\/expression-runtime\/dist\/cjs\/bridge\//],
	['n8n: workflow (with its static data) read for the webhook', /^loadWebhookExecutionData n8n\//],
	['n8n: static data read for the execution (getStaticDataById)', /^getStaticDataById n8n\//],
	['n8n: static data saved (saveStaticData)', /^saveStaticData n8n\//],
	['Makini Trigger: delivery ledger (merge, claim, persist)', /^(DeliveryLedger|mergeInto|persist|snapshot|claim) n8n-nodes-makini\//],
	['Makini Trigger: trigger options read (getNodeParameter)', /^readTriggerOptions n8n-nodes-makini\//],
	['n8n: workflow execution (WorkflowExecute.processRunExecutionData)', /^processRunExecutionData n8n-core\//],
	['n8n: execution saved (hooks)', /^(runHook|saveExecution|updateExistingExecution) n8n/],
	['database (sqlite3 + typeorm)', /^\S* (sqlite3|@n8n\/typeorm)\//],
];

/**
 * Where n8n should write its profile, and the environment that makes it do so: a
 * preloaded script (Node refuses --cpu-prof in NODE_OPTIONS) that profiles from start
 * and writes the profile on SIGUSR2 (`collectProfile`).
 */
export function profileSetup(intervalUs = 500): { dir: string; env: Record<string, string> } {
	const dir = mkdtempSync(join(tmpdir(), 'bench-cpuprof-'));
	return {
		dir,
		env: {
			NODE_OPTIONS: `--require ${join(__dirname, 'cpuProfiler.cjs')}`,
			BENCH_CPU_PROFILE_DIR: dir,
			BENCH_CPU_PROFILE_INTERVAL_US: String(intervalUs),
		},
	};
}

/** Asks n8n (pid) for its profile and waits until it is written (before n8n is stopped). */
export async function collectProfile(dir: string, pid: number, timeoutMs = 60_000): Promise<void> {
	process.kill(pid, 'SIGUSR2');
	await waitFor(`n8n (pid ${pid}) writing its profile`, timeoutMs, async () => (existsSync(join(dir, `${pid}.cpuprofile`)) ? true : undefined), 200);
}

/** The short name of a script: its package and path under node_modules, or the file. */
function fileOf(url: string): string {
	if (!url) return '(native)';
	const path = url.replace(/^file:\/\//, '');
	const at = path.lastIndexOf('node_modules/');
	if (at !== -1) return path.slice(at + 'node_modules/'.length);
	if (path.startsWith('node:')) return path;
	return path.split('/').slice(-3).join('/');
}

/** The part of the system a script belongs to. */
export function partOf(url: string, functionName: string): string {
	if (!url) {
		if (functionName === '(garbage collector)') return 'garbage collection';
		if (functionName === '(program)') return 'V8 / native (no JS frame)';
		if (functionName === '(idle)') return 'idle';
		return 'native (builtins)';
	}
	const file = fileOf(url);
	if (file.startsWith('n8n-nodes-makini/')) return 'Makini package';
	if (/isolated-vm|expression-runtime|@n8n\/tournament|expression-engine|expression-evaluator/i.test(file)) return "n8n's expression engine (isolates)";
	if (/^(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/)/.test(file)) return `n8n (${file.split('/')[0].startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0]})`;
	if (file.startsWith('node:')) return 'Node.js core';
	return `dependencies (${file.split('/')[0].startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0]})`;
}

function lines(map: Map<string, number>, totalUs: number, top: number): ProfileLine[] {
	return [...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
}

/** Reads the profile n8n (pid) wrote into `dir` and summarises each window's samples (idle excluded). */
export function summariseProfile(dir: string, pid: number, windows: Window[], top = 15): ProfileSummary[] {
	const profile = JSON.parse(readFileSync(join(dir, `${pid}.cpuprofile`), 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	for (const n of profile.nodes) for (const child of n.children ?? []) byId.get(child)!.parent = n.id;
	const nameOf = (frame: ProfileNode['callFrame']) => `${frame.functionName || '(anonymous)'} ${fileOf(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
	// The landmarks on each node's stack (each counted once, however often it recurses).
	const stackLandmarks = new Map<number, string[]>();
	const landmarksOf = (id: number): string[] => {
		let found = stackLandmarks.get(id);
		if (found) return found;
		const n = byId.get(id);
		const own = n ? LANDMARKS.filter(([, pattern]) => pattern.test(nameOf(n.callFrame))).map(([name]) => name) : [];
		found = [...new Set([...(n?.parent !== undefined ? landmarksOf(n.parent) : []), ...own])];
		stackLandmarks.set(id, found);
		return found;
	};
	const out: ProfileSummary[] = [];
	for (const label of [...new Set(windows.map((w) => w.label))]) {
		const mine = windows.filter((w) => w.label === label);
		const parts = new Map<string, number>();
		const functions = new Map<string, number>();
		const landmarks = new Map<string, number>(LANDMARKS.map(([name]) => [name, 0]));
		let totalUs = 0;
		let t = profile.startTime;
		for (let i = 0; i < profile.samples.length; i++) {
			t += profile.timeDeltas[i];
			// A sample stands for the interval up to the next one.
			const us = profile.timeDeltas[i + 1] ?? 0;
			if (!mine.some((w) => t >= w.startUs && t < w.endUs)) continue;
			const frame = byId.get(profile.samples[i])?.callFrame;
			if (!frame || frame.functionName === '(idle)') continue;
			totalUs += us;
			const part = partOf(frame.url, frame.functionName);
			parts.set(part, (parts.get(part) ?? 0) + us);
			const name = nameOf(frame);
			functions.set(name, (functions.get(name) ?? 0) + us);
			for (const landmark of landmarksOf(profile.samples[i])) landmarks.set(landmark, (landmarks.get(landmark) ?? 0) + us);
		}
		out.push({
			label,
			totalMs: totalUs / 1000,
			parts: lines(parts, totalUs, 12),
			functions: lines(functions, totalUs, top),
			landmarks: LANDMARKS.map(([name]) => ({ name, ms: (landmarks.get(name) ?? 0) / 1000, share: (landmarks.get(name) ?? 0) / totalUs })),
		});
	}
	return out;
}

/** Keeps the raw profile (for Chrome DevTools or speedscope) as `<out>/<name>.cpuprofile`. */
export function keepProfile(dir: string, pid: number, out: string, name: string): string {
	mkdirSync(out, { recursive: true });
	const to = join(out, `${name}.cpuprofile`);
	copyFileSync(join(dir, `${pid}.cpuprofile`), to);
	return to;
}

export function removeProfiles(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
}
