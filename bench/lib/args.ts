/** Command-line flags of `npm run bench`. */

export const CASE_NAMES = ['verify', 'trigger', 'bulk', 'ratelimit', 'scaling'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

export interface BenchArgs {
	quick: boolean;
	/** Rounds per case (each round runs the case and its baseline once, alternating). */
	rounds: number;
	cases: CaseName[];
	/** Where the JSON result goes (default bench/results/<timestamp>.json). */
	out?: string;
}

const USAGE = `npm run bench -- [--quick] [--rounds N] [--cases ${CASE_NAMES.join(',')}] [--out FILE]`;

export function parseArgs(argv: string[]): BenchArgs {
	const args: BenchArgs = { quick: false, rounds: 0, cases: [...CASE_NAMES] };
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
		else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
		else throw new Error(`Unknown flag "${flag}"\n${USAGE}`);
	}
	if (args.rounds === 0) args.rounds = args.quick ? 1 : 3;
	return args;
}
