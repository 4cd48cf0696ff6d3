/**
 * Captures everything written through console.* while a suite runs (silenced), for the
 * secret scans. Figures go to stdout directly (lib/figures), not through here.
 */
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export interface ConsoleCapture {
	lines: unknown[][];
	restore(): void;
}

export function captureConsole(): ConsoleCapture {
	const lines: unknown[][] = [];
	const spies = METHODS.map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args)));
	return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
