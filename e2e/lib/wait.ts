/** Polls `attempt` until it answers something other than undefined, or throws once `timeoutMs` has passed. */
export async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await attempt();
		if (result !== undefined) return result;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
