/** Command-line flags of `npm run bench`. */

export const CASE_NAMES = ['verify', 'trigger', 'bulk', 'ratelimit', 'polling', 'scaling'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

export interface BenchArgs {
	quick: boolean;
	/** Rounds per case (each round runs the case and its baseline once, alternating). */
	rounds: number;
	cases: CaseName[];
	/** Where the JSON result goes (default bench/results/<timestamp>.json). */
	out?: string;
	/** First port for the sandboxes (each on its own, from here up: at most 4 at once); 0 picks free ports. */
	sandboxPort: number;
	/** First port for n8n (n8n on it, its task broker on the next; a second n8n at +2 and +3); 0 picks free ports. */
	n8nPort: number;
	/** Profile n8n (V8's sampling profiler) in the trigger case and summarise its self time. */
	profile: boolean;
	/** Where the trigger case's raw V8 profiles are kept (default: summarised, then removed). */
	profileOut?: string;
	/** Use the package as last built (dist/) instead of building it first. */
	build: boolean;
}

const USAGE = `npm run bench -- [--quick] [--rounds N] [--cases ${CASE_NAMES.join(',')}] [--out FILE] [--sandbox-port N] [--n8n-port N] [--no-profile] [--profile-out DIR] [--no-build]`;

export function parseArgs(argv: string[]): BenchArgs {
	const args: BenchArgs = { quick: false, rounds: 0, cases: [...CASE_NAMES], sandboxPort: 0, n8nPort: 0, profile: true, build: true };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => {
			const next = argv[++i];
			if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
			return next;
		};
		if (flag === '--quick') args.quick = true;
		else if (flag === '--rounds') {
			const rounds = Number(value());
			if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer\n${USAGE}`);
			args.rounds = rounds;
		} else if (flag === '--cases') {
			const names = value()
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean);
			for (const name of names) {
				if (!(CASE_NAMES as readonly string[]).includes(name)) throw new Error(`Unknown case "${name}"\n${USAGE}`);
			}
			args.cases = CASE_NAMES.filter((name) => names.includes(name));
		} else if (flag === '--out') args.out = value();
		else if (flag === '--sandbox-port' || flag === '--n8n-port') {
			const port = Number(value());
			if (!Number.isInteger(port) || port < 1024 || port > 65_000) throw new Error(`${flag} must be a port number (1024–65000)\n${USAGE}`);
			if (flag === '--sandbox-port') args.sandboxPort = port;
			else args.n8nPort = port;
		} else if (flag === '--no-profile') args.profile = false;
		else if (flag === '--profile-out') args.profileOut = value();
		else if (flag === '--no-build') args.build = false;
		else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
		else throw new Error(`Unknown flag "${flag}"\n${USAGE}`);
	}
	if (args.rounds === 0) args.rounds = args.quick ? 1 : 3;
	return args;
}
