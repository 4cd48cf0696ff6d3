/**
 * Seeds the whole plant from one seed: the same seed, work-order count and reference
 * time always produce the same records, keys and timestamps.
 */
import { Prng } from '../util/prng';
import { schemaFields } from './collections';
import { Seeder } from './seeder';
import { KeyGenerator, Store } from './store';
import { seedPurchasing, seedSales, seedWarehouse } from './seed/commerce';
import { countsFor, seedAssets, seedDocuments, seedMaterials, seedPlans, seedWorkOrders } from './seed/maintenance';
import { seedReference } from './seed/reference';

export interface SeedOptions {
	seed: number;
	workOrders: number;
	/** The moment the data is "as of" (ms since epoch): timestamps lie before it. */
	now: number;
}

export function seedPlant(options: SeedOptions): Store {
	const prng = new Prng(options.seed);
	const store = new Store(new KeyGenerator(new Prng(`${options.seed}:keys`)));
	const schema = schemaFields();
	for (const [name, fields] of schema) store.define(name, fields);
	const seeder = new Seeder(prng, store, store.keys, options.now, schema);
	const counts = countsFor(options.workOrders);

	seedReference(seeder);
	seedAssets(seeder, counts);
	seedMaterials(seeder, counts);
	seedPlans(seeder, counts);
	seedWorkOrders(seeder, counts);
	seedPurchasing(seeder, counts);
	seedSales(seeder, counts);
	seedWarehouse(seeder);
	seedDocuments(seeder, counts);
	return store;
}
