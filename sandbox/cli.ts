/**
 * `npm run sandbox`: starts the Makini sandbox on a fixed port and prints what a
 * workflow needs to reach it. Ctrl-C stops it.
 *
 *   --port N (default $SANDBOX_PORT or 4010)  --host H  --work-orders N  --product NAME
 *   --rate-limit N  --seed N  --shape sandbox|spec  --cursor-paging  --quiet  --info-file PATH  --secrets PATH
 *
 * --secrets keeps the API token, webhook secret and System API client across restarts
 * (read from PATH when it exists, written there otherwise), so credentials saved in a
 * long-running n8n (the demo's) stay valid.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { PRODUCTS } from './data/products';
import { startSandbox, type SandboxOptions } from './index';
import { answerShapeOf } from './options';

const USAGE = `Usage: npm run sandbox -- [--port N] [--host H] [--work-orders N] [--product ${Object.keys(PRODUCTS).join('|')}]
                           [--rate-limit N] [--seed N] [--shape sandbox|spec] [--cursor-paging] [--quiet] [--info-file PATH] [--secrets PATH]`;

const SECRET_OPTIONS = ['apiToken', 'webhookSecret', 'systemClientId', 'systemClientSecret'] as const;

function parseArgs(argv: string[]): { options: SandboxOptions; infoFile?: string; secretsFile?: string } {
	const options: SandboxOptions = { port: Number(process.env.SANDBOX_PORT ?? 4010), quiet: false };
	let infoFile: string | undefined;
	let secretsFile: string | undefined;
	const number = (flag: string, value: string | undefined) => {
		const n = Number(value);
		if (value === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = number(flag, value());
				break;
			case '--host':
				options.host = value();
				break;
			case '--work-orders':
				options.workOrders = number(flag, value());
				break;
			case '--product':
				options.product = value();
				break;
			case '--rate-limit':
				options.rateLimitPerMinute = number(flag, value());
				break;
			case '--seed':
				options.seed = number(flag, value());
				break;
			case '--shape':
				options.answerShape = answerShapeOf(value());
				break;
			case '--cursor-paging':
				options.cursorPaging = true;
				break;
			case '--quiet':
				options.quiet = true;
				break;
			case '--info-file':
				infoFile = value();
				break;
			case '--secrets':
				secretsFile = value();
				break;
			case '--help':
			case '-h':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option ${argv[i]}\n${USAGE}`);
		}
	}
	return { options, infoFile, secretsFile };
}

/** Fixed secrets from the file, when it exists. */
function readSecrets(file: string | undefined): Partial<SandboxOptions> {
	if (!file || !existsSync(file)) return {};
	const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
	const secrets: Partial<Record<(typeof SECRET_OPTIONS)[number], string>> = {};
	for (const name of SECRET_OPTIONS) if (typeof saved[name] === 'string') secrets[name] = saved[name];
	return secrets;
}

async function main(): Promise<void> {
	const { options, infoFile, secretsFile } = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const sandbox = await startSandbox({ ...options, ...readSecrets(secretsFile) });
	if (secretsFile && !existsSync(secretsFile)) {
		const secrets = Object.fromEntries(SECRET_OPTIONS.map((name) => [name, sandbox[name]]));
		writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	}
	const info = {
		url: sandbox.url,
		apiToken: sandbox.apiToken,
		systemClientId: sandbox.systemClientId,
		systemClientSecret: sandbox.systemClientSecret,
		webhookSecret: sandbox.webhookSecret,
		connections: sandbox.connections,
	};
	if (infoFile) writeFileSync(infoFile, JSON.stringify(info, null, 2), { mode: 0o600 });
	const lines = [
		`Makini sandbox listening (started in ${Date.now() - started} ms)`,
		`  Base URL (credential "Base URL"):      ${sandbox.url}`,
		`  API token (Makini API credential):      ${sandbox.apiToken}`,
		`  System API client ID:                   ${sandbox.systemClientId}`,
		`  System API client secret:               ${sandbox.systemClientSecret}`,
		`  Webhook secret (Makini Webhook Secret): ${sandbox.webhookSecret}`,
		`  Other connections:                      ${sandbox.connections.slice(1).map((c) => `${c.id} (${c.provider})`).join(', ') || 'none'}`,
		`  Control API:                            ${sandbox.url}/__sandbox  (GET it for these values)`,
		infoFile ? `  Info file:                              ${infoFile}` : '',
		'Press Ctrl-C to stop.',
	];
	console.log(lines.filter(Boolean).join('\n'));
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
