/**
 * The suite's figures: one line each, `RELIABILITY <area>: <figure> = <value>`, written
 * straight to stdout (not through jest's console, which the secret scans capture) so
 * they can be read out of a CI log with `grep '^RELIABILITY'`.
 */
export function figure(area: string, name: string, value: string | number): void {
	process.stdout.write(`RELIABILITY ${area}: ${name} = ${value}\n`);
}

/** The run's seed: RELIABILITY_SEED when set (to reproduce a run), otherwise a fresh one, printed. */
export function runSeed(area: string): string {
	const seed = process.env.RELIABILITY_SEED?.trim() || String(Date.now() % 1_000_000_000);
	figure(area, 'seed (RELIABILITY_SEED to reproduce)', seed);
	return seed;
}
