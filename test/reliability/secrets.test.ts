/**
 * The secret scanner finds what it is meant to find: a scan that cannot find a planted
 * leak would pass every suite that uses it.
 */
import { findSecrets, recognisableSecrets, secretValues } from './lib/secrets';

describe('secret scanner', () => {
	const secrets = recognisableSecrets('scanner-test');
	const values = secretValues(secrets);
	const token = secrets.apiToken;

	it('gives distinctive, reproducible values', () => {
		expect(recognisableSecrets('scanner-test')).toEqual(secrets);
		expect(recognisableSecrets('other').apiToken).not.toBe(token);
		expect(new Set(values).size).toBe(4);
	});

	it.each([
		['plain', `Bearer ${token}`],
		['url-encoded', `?token=${encodeURIComponent(`${token}/+=`)}`],
		['hex', Buffer.from(token).toString('hex').toUpperCase()],
		['base64', Buffer.from(token).toString('base64')],
		['base64url', Buffer.from(`${token}`).toString('base64url')],
		['base64 inside Basic auth (offset 1)', `Basic ${Buffer.from(`a:${token}`).toString('base64')}`],
		['base64 inside Basic auth (offset 2)', `Basic ${Buffer.from(`ab:${token}`).toString('base64')}`],
		['base64 inside Basic auth (offset 3)', `Basic ${Buffer.from(`abc${token}x`).toString('base64')}`],
		['json-escaped', JSON.stringify(JSON.stringify({ t: token }))],
	])('finds a %s leak', (_form, text) => {
		expect(findSecrets({ deep: [{ text }] }, values).length).toBeGreaterThan(0);
	});

	it('looks into errors (message, stack, cause), keys, buffers and maps', () => {
		const error = new Error('wrapped', { cause: new Error(`inner ${secrets.webhookSecret}`) });
		expect(findSecrets(error, values).map((f) => f.where).sort()).toEqual(['$.cause.message', '$.cause.stack']);
		expect(findSecrets({ [secrets.systemClientSecret]: 1 }, values)).toHaveLength(1);
		expect(findSecrets(Buffer.from(`x${token}`), values)).toHaveLength(1);
		expect(findSecrets(new Map([['k', token]]), values)).toHaveLength(1);
		const circular: Record<string, unknown> = { a: 1 };
		circular.self = circular;
		expect(findSecrets(circular, values)).toEqual([]);
	});

	it('walks deep nesting without overflowing the stack', () => {
		const deep = JSON.parse(`${'['.repeat(50_000)}"${token}"${']'.repeat(50_000)}`) as unknown;
		expect(findSecrets(deep, values)).toHaveLength(1);
	});

	it('finds nothing in clean text, nor in fragments too short to mean anything', () => {
		expect(findSecrets({ message: 'Authorization failed', token: token.slice(0, 6) }, values)).toEqual([]);
	});
});
