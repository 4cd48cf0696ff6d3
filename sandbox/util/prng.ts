/**
 * A small seeded PRNG (sfc32) so that the same seed always yields the same plant:
 * the sandbox never calls Math.random for data or for scenario decisions.
 */
// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { floor } = Math;

export class Prng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(seed: number | string) {
		// Expand the seed into four 32-bit words (the splitmix-style mixing sfc32 expects).
		let h = 1779033703 ^ String(seed).length;
		const text = String(seed);
		for (let i = 0; i < text.length; i++) {
			h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
			h = (h << 13) | (h >>> 19);
		}
		const next = () => {
			h = Math.imul(h ^ (h >>> 16), 2246822507);
			h = Math.imul(h ^ (h >>> 13), 3266489909);
			return (h ^= h >>> 16) >>> 0;
		};
		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** A float in [0, 1). */
	next(): number {
		this.a >>>= 0;
		this.b >>>= 0;
		this.c >>>= 0;
		this.d >>>= 0;
		let t = (this.a + this.b) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.d = (this.d + 1) | 0;
		t = (t + this.d) | 0;
		this.c = (this.c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.next() * items.length)];
	}

	/** Up to `count` distinct items. */
	sample<T>(items: readonly T[], count: number): T[] {
		const copy = items.slice();
		const result: T[] = [];
		for (let i = 0; i < count && copy.length; i++) {
			result.push(copy.splice(floor(this.next() * copy.length), 1)[0]);
		}
		return result;
	}

	shuffle<T>(items: readonly T[]): T[] {
		const copy = items.slice();
		for (let i = copy.length - 1; i > 0; i--) {
			const j = floor(this.next() * (i + 1));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy;
	}

	/** A decimal amount as the spec's string-typed money fields carry it. */
	amount(min: number, max: number, decimals = 2): string {
		return (min + this.next() * (max - min)).toFixed(decimals);
	}
}
