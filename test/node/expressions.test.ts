/**
 * Expressions in node parameters are n8n's own (n8n-workflow's engine, through n8n-core's
 * ExecuteContext): n8n's variables such as `$now` and its extensions such as
 * `String.toDateTime()` reach the node as n8n evaluates them.
 */
import { startCaptureServer, type CaptureServer } from './capture';
import { runMakini } from './helpers';

let capture: CaptureServer;
beforeAll(async () => {
	capture = await startCaptureServer(() => ({ data: [], links: {}, meta: { current_page: 1, last_page: 1, per_page: 100, total: 0 } }));
});
afterAll(async () => {
	await capture.close();
});

async function updatedSinceSent(updatedSince: string, items = [{ json: {} }]) {
	await runMakini({
		parameters: { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: false, limit: 5, options: { updatedSince } },
		credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
		items,
	});
	return new URL(capture.requests.at(-1)!.url, 'http://x').searchParams.get('filter[updatedAt:gteq]');
}

describe("n8n's expression engine", () => {
	it('knows $now (a Luxon DateTime in the workflow time zone)', async () => {
		const before = Date.now();
		const sent = await updatedSinceSent('={{ $now.minus({ days: 1 }) }}');
		expect(sent).toEqual(expect.any(String));
		const at = Date.parse(sent!);
		expect(at).toBeGreaterThanOrEqual(before - 86_400_000 - 1000);
		expect(at).toBeLessThanOrEqual(Date.now() - 86_400_000 + 1000);
	});

	it("has n8n's extensions, such as String.toDateTime()", async () => {
		const sent = await updatedSinceSent('={{ $json.d.toDateTime().plus({ hours: 2 }) }}', [{ json: { d: '2026-03-04T05:06:07.000Z' } }]);
		expect(Date.parse(sent!)).toBe(Date.parse('2026-03-04T07:06:07.000Z'));
	});
});
