import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

// The package is published only from GitHub Actions with npm provenance
// (.github/workflows/publish.yml). These run the real `npm publish` of this checkout
// against a registry stand-in on loopback that would accept the upload, and check that
// nothing is uploaded when publishing from anywhere else.

const ROOT = resolve(__dirname, '../..');

interface Registry {
	server: Server;
	url: string;
	uploads: string[];
}

async function startRegistry(): Promise<Registry> {
	const uploads: string[] = [];
	const server = createServer((req, res) => {
		if (req.method === 'PUT') uploads.push(req.url ?? '');
		req.resume();
		req.on('end', () => {
			// 404 for metadata (a new package), 201 for an upload: a registry that would take it.
			res.writeHead(req.method === 'PUT' ? 201 : 404, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as AddressInfo;
	return { server, url: `http://127.0.0.1:${port}/`, uploads };
}

function npmPublish(registry: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
	const host = registry.replace(/^http:/, '');
	const child = spawn('npm', ['publish', '--registry', registry, `--${host}:_authToken=not-a-real-token`, ...args], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return new Promise((done) => child.on('close', (code) => done({ code, output })));
}

/** The environment of a developer's shell: no CI variables, npm's own settings from the repo. */
function localEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'CI' || key.startsWith('GITHUB_') || key.startsWith('ACTIONS_') || key.toLowerCase().startsWith('npm_')) continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

describe('publishing', () => {
	let registry: Registry;
	beforeAll(async () => {
		registry = await startRegistry();
	});
	afterAll(async () => {
		await new Promise((done) => registry.server.close(done));
	});
	afterEach(() => {
		expect(registry.uploads).toEqual([]);
	});

	it('refuses a plain npm publish (the repository skips lifecycle scripts): npm cannot make the provenance statement', async () => {
		const { code, output } = await npmPublish(registry.url, [], localEnv());
		expect(code).not.toBe(0);
		expect(output).toMatch(/provenance generation not supported/i);
	}, 120_000);

	it('refuses it from the publish guard when lifecycle scripts run', async () => {
		const { code, output } = await npmPublish(registry.url, ['--ignore-scripts=false'], localEnv());
		expect(code).not.toBe(0);
		expect(output).toContain('published only by the GitHub Actions workflow');
	}, 120_000);

	it('refuses it without provenance even where GitHub Actions is claimed', async () => {
		const { code, output } = await npmPublish(registry.url, ['--ignore-scripts=false', '--provenance=false'], localEnv({ GITHUB_ACTIONS: 'true' }));
		expect(code).not.toBe(0);
		expect(output).toContain('published only by the GitHub Actions workflow');
	}, 120_000);
});
