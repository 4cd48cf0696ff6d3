/**
 * A delivery stream as Makini's retrying sender produces it at its worst: unique signed
 * deliveries (some records changing twice, so order matters), copies of 30% of them —
 * a third sent at the same moment as the first, a third shuffled anywhere into the
 * stream, a third as late retries after everything else — and the whole stream shuffled.
 * Signed as the sandbox signs (sandbox/webhooks/sign.ts).
 */
import { Prng } from '../../../sandbox/util/prng';
import { DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, serializePayload, signPayload } from '../../../sandbox/webhooks/sign';

export interface ChaosDelivery {
	deliveryId: string;
	record: string;
	/** Event time (ms); later events of a record have later times. */
	timestampMs: number;
	body: string;
	headers: Record<string, string>;
}

export type ChaosCopy = 'concurrent' | 'shuffled' | 'late';

/** One unit of sending: a delivery once, or several copies of it at the same moment. */
export interface ChaosSend {
	delivery: ChaosDelivery;
	copies: number;
}

export interface ChaosPlan {
	unique: ChaosDelivery[];
	/** The main stream, in sending order. */
	stream: ChaosSend[];
	/** Late retries, sent after the main stream has been answered. */
	late: ChaosSend[];
	duplicates: Record<ChaosCopy, number>;
	total: number;
}

export function chaosPlan(input: { total: number; duplicateShare: number; secret: string; seed: string; now: number }): ChaosPlan {
	const prng = new Prng(input.seed);
	const duplicateCount = Math.round(input.total * input.duplicateShare);
	const uniqueCount = input.total - duplicateCount;
	const run = input.seed.replace(/[^a-z0-9]/gi, '').slice(-8);

	// About one record in three changes twice: its two events can arrive either way round.
	const unique: ChaosDelivery[] = [];
	let record = 0;
	while (unique.length < uniqueCount) {
		const events = unique.length + 1 < uniqueCount && prng.chance(0.43) ? 2 : 1;
		const key = `WO-CHAOS-${run}-${record++}`;
		for (let e = 0; e < events; e++) {
			const timestampMs = input.now - 60_000 + unique.length * 10 + e * 5_000;
			const payload = { event: 'work-orders.updated', body: [key], timestamp: new Date(timestampMs).toISOString() };
			const body = serializePayload(payload);
			const deliveryId = `dlv_chaos_${run}_${unique.length}`;
			unique.push({
				deliveryId,
				record: key,
				timestampMs,
				body,
				headers: {
					'Content-Type': 'application/json',
					[SIGNATURE_HEADER]: signPayload(input.secret, body),
					[DELIVERY_ID_HEADER]: deliveryId,
					[EVENT_HEADER]: 'work-orders.updated',
				},
			});
		}
	}

	const duplicated = prng.sample(unique, duplicateCount);
	const third = Math.round(duplicateCount / 3);
	const concurrent = new Set(duplicated.slice(0, third));
	const shuffled = duplicated.slice(third, 2 * third);
	const lateCopies = duplicated.slice(2 * third);

	const stream: ChaosSend[] = prng.shuffle([
		...unique.map((delivery) => ({ delivery, copies: concurrent.has(delivery) ? 2 : 1 })),
		...shuffled.map((delivery) => ({ delivery, copies: 1 })),
	]);
	const late = prng.shuffle(lateCopies.map((delivery) => ({ delivery, copies: 1 })));
	return {
		unique,
		stream,
		late,
		duplicates: { concurrent: concurrent.size, shuffled: shuffled.length, late: lateCopies.length },
		total: unique.length + duplicateCount,
	};
}
