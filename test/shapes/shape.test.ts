/**
 * Each jest project's sandboxes answer in the shape the project says (jest.config.js): the
 * spec-shape project would otherwise silently repeat the default one.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';

let sb: SandboxHandle;
beforeAll(async () => {
	sb = await startSandbox({ workOrders: 10 });
});
afterAll(async () => {
	await sb?.close();
});

it(`answers in the ${process.env.SANDBOX_ANSWER_SHAPE} shape`, async () => {
	const response = await fetch(`${sb.url}/api/eam/stocks?per_page=1`, { headers: { Authorization: `Bearer ${sb.apiToken}` } });
	const { data } = (await response.json()) as { data: Array<{ quantity: unknown }> };
	const quantity = data[0].quantity;
	if (process.env.SANDBOX_ANSWER_SHAPE === 'spec') expect(quantity).toEqual({ value: expect.any(Number) });
	else expect(typeof quantity === 'number' || typeof quantity === 'string').toBe(true);
});
