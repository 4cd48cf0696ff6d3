/**
 * Bad parameters on every operation of the registry (all 289, iterated, not listed):
 * each case must end in a NodeOperationError naming the parameter, or in requests that
 * are exactly the operation's documented template with safely encoded keys and only
 * Makini's list parameters in the query. A recording proxy in front of the sandbox sees
 * every request target as it arrived.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OPERATIONS, operationId, type ContractOperation } from '../../nodes/shared/registry';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { parametersFor, runMakini } from '../node/helpers';
import { casesFor, targetProblem, type BadParameterCase } from './lib/badParameters';
import { captureConsole, type ConsoleCapture } from './lib/console';
import { figure } from './lib/figures';
import { startRecordingProxy, type RecordingProxy } from './lib/recordingProxy';
import { describeFindings, findSecrets, recognisableSecrets, secretValues } from './lib/secrets';

const AREA = 'parameters';
const secrets = recognisableSecrets('parameters');

let sb: SandboxHandle;
let proxy: RecordingProxy;
let consoleCapture: ConsoleCapture;

beforeAll(async () => {
	consoleCapture = captureConsole();
	sb = await startSandbox({
		port: 0,
		workOrders: 60,
		autoWebhooks: false,
		rateLimitPerMinute: 1_000_000,
		apiToken: secrets.apiToken,
		systemClientId: secrets.systemClientId,
		systemClientSecret: secrets.systemClientSecret,
	});
	proxy = await startRecordingProxy(sb.url);
});

afterAll(async () => {
	await proxy?.close();
	await sb?.close();
	consoleCapture?.restore();
});

/** Destructive operations last, so they cannot take the connection away from the others. */
function ordered(ops: readonly ContractOperation[]): ContractOperation[] {
	const last = (op: ContractOperation) => (op.operation === 'disconnect' ? 2 : op.operation === 'delete' ? 1 : 0);
	return [...ops].sort((a, b) => last(a) - last(b));
}

/** Whether an error message names one of the parameters (quoted, as the node writes them). */
function names(error: Error & { description?: string | null }, wanted: string[]): boolean {
	const text = `${error.message}\n${error.description ?? ''}`;
	if (wanted.includes('*')) return /"[^"]+"/.test(text);
	return wanted.some((name) => text.includes(`"${name}"`));
}

it('every operation, empty, wrong-type and malicious values: a clear NodeOperationError or a safely encoded request', async () => {
	const started = Date.now();
	const credentials = () => ({
		makiniApi: { apiToken: secrets.apiToken, baseUrl: proxy.url },
		makiniSystemApi: { clientId: secrets.systemClientId, clientSecret: secrets.systemClientSecret, baseUrl: proxy.url },
	});
	const violations: string[] = [];
	const tally = { mustRefuse: 0, cases: 0, refused: 0, sentOk: 0, sentRefusedByMakini: 0, requests: 0, validControls: 0, validControlsOk: 0 };
	const operationsCovered = new Set<string>();
	const outputs: unknown[] = [];
	const harnessLogs: unknown[] = [];
	const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

	for (const op of ordered(OPERATIONS)) {
		const { parameters: valid, items } = parametersFor(op, sb);
		const run = async (c: Pick<BadParameterCase, 'name' | 'parameters'>) => {
			const before = proxy.requests.length;
			let error: unknown;
			try {
				const result = await runMakini({ parameters: c.parameters, credentials: credentials(), items });
				outputs.push(result.items);
				harnessLogs.push(...result.harness.logs);
			} catch (caught) {
				error = caught;
				outputs.push(caught);
			}
			return { error, requests: proxy.requests.slice(before) };
		};

		// The control: valid parameters run (so a node refusing everything fails here).
		tally.validControls++;
		const control = await run({ name: 'valid', parameters: valid });
		if (control.error) violations.push(`${operationId(op)} valid parameters failed: ${(control.error as Error).message}`);
		else tally.validControlsOk++;
		for (const r of control.requests) {
			const problem = targetProblem(op, r.target);
			if (problem) violations.push(`${operationId(op)} valid: ${problem}`);
		}

		for (const c of casesFor(op, valid)) {
			tally.cases++;
			operationsCovered.add(operationId(op));
			const { error, requests } = await run(c);
			tally.requests += requests.length;
			const where = `${operationId(op)} ${c.name}`;
			for (const r of requests) {
				const problem = targetProblem(op, r.target, c.intended);
				if (problem) violations.push(`${where}: ${problem}`);
			}
			if (c.mustRefuse && !(error instanceof NodeOperationError)) {
				violations.push(`${where}: must be refused by the node, but ${error === undefined ? 'was sent' : `ended in ${String(error)}`}`);
			}
			if (c.mustRefuse && requests.length > 0) violations.push(`${where}: a request was sent for a value that must be refused`);
			if (c.mustRefuse) tally.mustRefuse++;
			if (error === undefined) {
				if (requests.length === 0) violations.push(`${where}: neither an error nor a request`);
				tally.sentOk++;
			} else if (error instanceof NodeOperationError) {
				if (!names(error, c.names)) violations.push(`${where}: refused without naming ${c.names.join('/')}: ${error.message}`);
				tally.refused++;
			} else if (error instanceof NodeApiError) {
				if (requests.length === 0) violations.push(`${where}: an API error without a request: ${error.message}`);
				const status = Number(error.httpCode);
				if (!(status >= 400 && status < 500)) violations.push(`${where}: Makini answered ${error.httpCode}: ${error.message}`);
				tally.sentRefusedByMakini++;
			} else {
				violations.push(`${where}: not a node error: ${String(error)}`);
			}
		}
	}
	const polluted = Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeBefore || ({} as Record<string, unknown>).polluted !== undefined;
	const logs = harnessLogs.length;
	const findings = findSecrets({ outputs, logs: harnessLogs, console: consoleCapture.lines }, secretValues(secrets), 'parameters');
	const seconds = (Date.now() - started) / 1000;

	figure(AREA, 'operations of the registry covered', `${operationsCovered.size} of ${OPERATIONS.length}`);
	figure(AREA, 'valid controls that ran', `${tally.validControlsOk} of ${tally.validControls}`);
	figure(AREA, 'bad-parameter cases', `${tally.cases} in ${seconds.toFixed(1)} s`);
	figure(AREA, 'refused with a NodeOperationError naming the parameter', `${tally.refused} (including all ${tally.mustRefuse} values invalid beyond doubt)`);
	figure(AREA, 'sent, safely encoded (Makini answered 2xx / refused with 4xx)', `${tally.sentOk} / ${tally.sentRefusedByMakini}`);
	figure(AREA, 'requests checked against the documented templates', tally.requests);
	figure(AREA, 'requests to an unintended path or with smuggled query', violations.filter((v) => / is not |segment|query|raw control|intended/.test(v)).length);
	figure(AREA, 'secrets found in outputs, errors, logs and console', `${findings.length} (${outputs.length} outputs and errors, ${logs} log lines, ${consoleCapture.lines.length} console lines)`);
	figure(AREA, 'violations', violations.length);

	expect(violations.slice(0, 40)).toEqual([]);
	expect(operationsCovered.size).toBe(OPERATIONS.length);
	expect(tally.validControlsOk).toBe(tally.validControls);
	expect(polluted).toBe(false);
	expect(describeFindings(findings)).toBe('');
});

describe('the request rule catches what it is meant to catch', () => {
	const get = OPERATIONS.find((op) => op.system === 'eam' && op.resource === 'workOrder' && op.operation === 'get')!;
	const list = OPERATIONS.find((op) => op.system === 'eam' && op.resource === 'workOrder' && op.operation === 'getMany')!;

	it.each([
		[get, '/api/eam/work-orders/..'],
		[get, '/api/eam/work-orders/%2E%2E'],
		[get, '/api/eam/work-orders/a/b'],
		[get, '/api/eam/work-orders/a b'],
		[get, '/api/eam/work-orders/a%zz'],
		[get, '/api/eam/work-orders/a@b'],
		[get, '/api/system/client'],
		[get, '/api/eam/work-orders/k?per_page=100000'],
		[get, '/api/eam/work-orders/k#x'],
		[list, '/api/eam/work-orders?page=1&per_page=100000'],
		[list, '/api/eam/work-orders?page=1&page=2'],
		[list, '/api/eam/work-orders?per_page=5&evil=1'],
		[list, '/api/eam/work-orders?filter[a&b]=1'],
	])('%#: %s', (op, target) => {
		expect(targetProblem(op, target)).toBeDefined();
	});

	it('holds a key to the value intended, and accepts it safely encoded', () => {
		expect(targetProblem(get, '/api/eam/work-orders/a%2Fb', { key: 'a/b' })).toBeUndefined();
		expect(targetProblem(get, '/api/eam/work-orders/other', { key: 'a/b' })).toMatch(/intended/);
		expect(targetProblem(list, '/api/eam/work-orders?per_page=500&page=2&filter[code:contains]=a%26b&sort[updatedAt]=1')).toBeUndefined();
	});
});
