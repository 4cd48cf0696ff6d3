import type { IPollFunctions } from 'n8n-workflow';

import { onePollAtATime } from '../../nodes/shared/pollGuard';

function pollContext(workflowId: string): IPollFunctions {
	return {
		getWorkflow: () => ({ id: workflowId, name: 'wf', active: true }),
		getNode: () => ({ id: 'node-1', name: 'Makini Record Changes Trigger' }),
		logger: { warn: jest.fn() },
	} as unknown as IPollFunctions;
}

describe('onePollAtATime', () => {
	it('skips a tick while the previous poll runs, and returns only once that poll has ended', async () => {
		const ctx = pollContext('guard-1');
		const order: string[] = [];
		let finish: (value: string) => void = () => undefined;
		const first = onePollAtATime(ctx, () => new Promise<string>((resolve) => (finish = resolve)).then((v) => (order.push('first ended'), v)));
		const second = onePollAtATime(ctx, async () => (order.push('second ran'), 'second')).then((v) => (order.push('second returned'), v));
		await new Promise((resolve) => setTimeout(resolve, 20));
		// n8n releases the tick's expression isolate when the tick returns: not before the running poll ends.
		expect(order).toEqual([]);
		finish('first');
		await expect(first).resolves.toBe('first');
		await expect(second).resolves.toBeNull();
		expect(order).toEqual(['first ended', 'second returned']);
		expect((ctx.logger.warn as jest.Mock).mock.calls[0][0]).toMatch(/previous poll is still running/);
	});

	it('lets the next poll run after the previous one failed', async () => {
		const ctx = pollContext('guard-2');
		await expect(onePollAtATime(ctx, async () => Promise.reject(new Error('Makini down')))).rejects.toThrow('Makini down');
		await expect(onePollAtATime(ctx, async () => 'ran')).resolves.toBe('ran');
	});
});
