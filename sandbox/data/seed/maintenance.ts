/**
 * The maintenance side of the plant: asset models, an asset hierarchy per site,
 * downtime, meters, spare parts with their inventory, PM plans, service requests and
 * the work orders (with tasks, labour and materials) that the polling tests page through.
 */
import {
	AREAS, ASSET_TYPES, CRITICALITIES, PARTS, ROLES, SEVERITIES, TASKS, WORK_CATEGORIES, WORK_ORDER_PROBLEMS,
} from '../vocabulary';
import { iso, type Seeder } from '../seeder';
import type { SandboxRecord } from '../store';
import { Prng } from '../../util/prng';
import { MATERIAL_ITEMS, WORK_ORDER_CUSTOM_FIELDS, WORK_ORDER_MATERIALS } from '../collections';

// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { floor, max } = Math;
const DAY = 86_400_000;

/** Custom fields the emulated CMMS adds to work orders (listed by /work-orders/custom-fields). */
export const WORK_ORDER_CUSTOM_FIELD_NAMES = ['shift', 'downtimeReason', 'safetyPermitRequired'];

export interface Counts {
	workOrders: number;
	assets: number;
	materials: number;
	serviceRequests: number;
	purchaseOrders: number;
	documents: number;
}

export function countsFor(workOrders: number): Counts {
	const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, Math.round(value)));
	return {
		workOrders,
		assets: clamp(workOrders / 5, 120, 3000),
		materials: clamp(workOrders / 5, 150, 2000),
		serviceRequests: clamp(workOrders / 10, 40, 2000),
		purchaseOrders: clamp(workOrders / 10, 60, 5000),
		documents: 40,
	};
}

function materialItem(s: Seeder, owner: Record<string, string>, part: SandboxRecord, quantity: number): Partial<SandboxRecord> {
	return {
		...owner,
		materialKey: part.key,
		partNumber: part.partNumber,
		name: part.name,
		code: part.code,
		uomKey: part.uomKey,
		quantity: String(quantity),
		requiredQuantity: String(quantity),
		positionNumber: String(s.prng.int(1, 40) * 10),
		...s.stamps(),
	};
}

export function seedAssets(s: Seeder, counts: Counts): void {
	const p = s.prng;
	for (const type of ASSET_TYPES) {
		const index = p.int(0, type.makes.length - 1);
		s.add('asset-templates', {
			name: `${type.makes[index]} ${type.models[index]} ${type.name}`,
			manufacturerName: type.makes[index],
			siteKey: null,
			documents: [],
		});
	}
	const templates = s.rows('asset-templates');
	const sites = s.rows('sites');
	const systems: SandboxRecord[] = [];
	for (const site of sites) {
		for (const area of AREAS.slice(0, 5)) {
			const location = s.rows('locations').find((l) => l.siteKey === site.key && String(l.name).endsWith(area));
			systems.push(
				s.add('assets', {
					siteKey: site.key,
					parentKey: null,
					locationKey: location?.key ?? null,
					name: `${site.code} ${area}`,
					description: `${area} production system`,
					isPhysical: false,
					categoryName: 'System',
					criticality: 'A',
					isActive: true,
					assetTemplateKey: null,
					makeName: null,
					modelName: null,
					serialNumber: null,
					accountKeys: [],
					documents: [],
					activatedAt: s.date(-2500, -1000),
					deactivatedAt: null,
					...s.stamps(),
				}),
			);
		}
	}
	for (let i = systems.length; i < counts.assets; i++) {
		const parent = p.pick(systems);
		const typeIndex = p.int(0, ASSET_TYPES.length - 1);
		const type = ASSET_TYPES[typeIndex];
		const make = p.int(0, type.makes.length - 1);
		const tag = `${type.name.split(' ').map((w) => w[0]).join('')}-${1000 + i}`;
		s.add('assets', {
			siteKey: parent.siteKey,
			parentKey: parent.key,
			locationKey: parent.locationKey,
			vendorKey: s.pickKey('vendors'),
			teamKey: s.pickKey('teams'),
			customerKey: null,
			accountKeys: [s.pickKey('accounts')],
			name: `${type.name} ${tag}`,
			description: `${type.makes[make]} ${type.models[make]} ${type.name.toLowerCase()} in ${parent.name}`,
			makeCompanyKey: s.rows('companies').find((c) => String(c.name).startsWith(type.makes[make]))?.key ?? null,
			assetTemplateKey: templates[typeIndex]?.key ?? null,
			isPhysical: true,
			categoryName: type.category,
			criticality: p.pick(CRITICALITIES),
			isActive: p.chance(0.96),
			makeName: type.makes[make],
			modelName: type.models[make],
			serialNumber: `${type.makes[make].slice(0, 3).toUpperCase()}${p.int(100000, 999999)}`,
			documents: [],
			activatedAt: s.date(-3000, -30),
			deactivatedAt: null,
			...s.stamps(),
		});
	}
	const equipment = s.rows('assets').filter((a) => a.isPhysical);
	for (let i = 0; i < Math.round(counts.assets / 2); i++) {
		const asset = p.pick(equipment);
		const started = s.now - p.int(1, 120) * DAY - p.int(0, 86_400) * 1000;
		s.add('assets-downtime', {
			assetKey: asset.key,
			description: `${p.pick(WORK_ORDER_PROBLEMS)} on ${asset.name}`,
			startedAt: iso(started),
			endedAt: p.chance(0.9) ? iso(started + p.int(10, 600) * 60_000) : null,
			categoryName: p.chance(0.7) ? 'Breakdown' : 'Planned',
			severity: p.pick(SEVERITIES),
			notes: null,
			...s.stamps(),
		});
	}
	const hours = s.rows('uom').find((u) => u.code === 'H');
	for (let i = 0; i < 60; i++) {
		const asset = p.pick(equipment);
		const reading = p.int(1000, 60000);
		const meter = s.add('meters', {
			siteKey: asset.siteKey,
			assetKeys: [asset.key],
			uomName: 'Hours',
			uomKey: hours?.key ?? null,
			lastReading: String(reading),
			lastReadingAt: s.date(-3, 0),
		});
		for (let r = 4; r >= 0; r--) {
			s.add('meter-readings', { assetKey: asset.key, meterKey: meter.key, reading: String(reading - r * p.int(50, 200)), createdAt: s.date(-(r + 1) * 7, -r * 7) });
		}
	}
}

export function seedMaterials(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const equipment = s.rows('assets').filter((a) => a.isPhysical);
	const storerooms = s.rows('storerooms');
	const uoms = new Map(s.rows('uom').map((u) => [String(u.code), u.key]));
	const euro = s.rows('currencies')[0].key;
	const assemblies: SandboxRecord[] = [];
	for (let i = 0; i < counts.materials; i++) {
		const part = PARTS[i % PARTS.length];
		const variant = floor(i / PARTS.length);
		const vendor = s.pick('vendors');
		const cost = p.amount(part.cost[0], part.cost[1]);
		const isAssembly = i >= PARTS.length && i < PARTS.length + 12;
		const parent = !isAssembly && assemblies.length && p.chance(0.1) ? p.pick(assemblies) : undefined;
		const record = s.add('materials', {
			siteKeys: s.pickKeys('sites', 1, 2),
			parentKeys: parent ? [parent.key] : [],
			assetKeys: p.sample(equipment, p.int(0, 3)).map((a) => a.key),
			vendorKeys: vendor ? [vendor.key] : [],
			organizationKey: s.pickKey('organizations'),
			documents: [],
			accountKey: s.rows('accounts')[1]?.key ?? null,
			categoryName: isAssembly ? 'Assembly' : 'Spare Part',
			code: `MAT-${10000 + i}`,
			isAssembly,
			partNumber: `${part.maker.slice(0, 3).toUpperCase()}-${p.int(10000, 99999)}${variant ? `-${variant}` : ''}`,
			name: isAssembly ? `${part.name} Assembly Kit` : variant ? `${part.name} (${variant + 1})` : part.name,
			description: `${part.name} by ${part.maker}`,
			notes: null,
			criticality: p.pick(CRITICALITIES),
			isActive: p.chance(0.97),
			manufacturerName: part.maker,
			minimumQuantity: String(p.int(0, 10)),
			uomKey: uoms.get(part.uom) ?? null,
			cost,
			currency: 'EUR',
			supplyOptions: vendor
				? [{ vendorKey: vendor.key, partNumber: `${vendor.code}-${p.int(1000, 9999)}`, price: cost, uomKey: uoms.get(part.uom) ?? null, currencyKey: euro, uomQuantity: '1', makePartNumber: null, reorderPoint: String(p.int(2, 12)) }]
				: [],
			priceLevels: [],
			inventory: null,
			drawings: [],
			dimensions: [],
			...s.stamps(),
		});
		if (isAssembly) assemblies.push(record);
		if (parent) s.add(MATERIAL_ITEMS, materialItem(s, { assemblyKey: parent.key }, record, p.int(1, 4)));
		for (const assetKey of record.assetKeys as string[]) {
			s.add(MATERIAL_ITEMS, materialItem(s, { assetKey }, record, p.int(1, 6)));
		}
		const rooms = p.sample(storerooms, p.int(1, 2));
		let total = 0;
		for (const room of rooms) {
			const quantity = p.int(0, 120);
			total += quantity;
			s.add('inventories', {
				code: record.code,
				name: record.name,
				quantity,
				unitCost: Math.round(Number(cost)),
				locationKey: room.locationKey,
				materialKey: record.key,
				storeroomKey: room.key,
				...s.stamps(),
			});
		}
		record.inventory = { quantity: total, storeroomKeys: rooms.map((r) => r.key) };
		const room = rooms[0];
		s.add('stocks', {
			productKey: null,
			materialKey: record.key,
			locationKey: room.locationKey,
			storeroomKey: room.key,
			assetKey: null,
			position: `${String.fromCharCode(65 + p.int(0, 7))}-${String(p.int(1, 30)).padStart(2, '0')}-${p.int(1, 6)}`,
			uomKey: record.uomKey,
			quantity: String(total),
			reorderPoint: String(p.int(2, 10)),
			expiresAt: null,
			reorderQuantity: String(p.int(5, 40)),
			minLevel: String(p.int(1, 5)),
			maxLevel: String(p.int(40, 150)),
			reorderLevel: String(p.int(2, 10)),
			...s.stamps(),
		});
	}
	const parts = s.rows('materials');
	for (const template of s.rows('asset-templates')) {
		for (const part of p.sample(parts, p.int(3, 6))) {
			s.add(MATERIAL_ITEMS, materialItem(s, { assetTemplateKey: template.key }, part, p.int(1, 4)));
		}
	}
}

export function tasksFor(s: { prng: Prng; key(): string }, ownerKey: string, count: number): Record<string, unknown>[] {
	return s.prng.sample(TASKS, count).map((title, i) => ({
		key: s.key(),
		parentKey: ownerKey,
		code: String((i + 1) * 10),
		title,
		description: `${title}.`,
		priority: String(i + 1),
		checkList: [],
	}));
}

export function seedPlans(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const equipment = s.rows('assets').filter((a) => a.isPhysical);
	const parts = s.rows('materials');
	const days = s.rows('uom').find((u) => u.code === 'H')?.key ?? null;
	for (let i = 0; i < 40; i++) {
		const asset = p.pick(equipment);
		const interval = p.pick([7, 30, 90, 180, 365]);
		const key = s.key();
		s.add('pm', {
			key,
			assetKeys: [asset.key],
			teamKey: s.pickKey('teams'),
			siteKey: asset.siteKey,
			accountKey: s.rows('accounts')[0]?.key ?? null,
			title: `${interval}-day service: ${asset.name}`,
			description: `Preventive maintenance every ${interval} days`,
			status: 'Active',
			severity: 'Medium',
			laborAssignedKey: s.pickKey('labors'),
			estimatedTime: String(p.int(1, 8)),
			roleName: p.pick(ROLES.slice(0, 3)),
			categoryName: 'Preventive',
			documents: [],
			assetTemplateKeys: asset.assetTemplateKey ? [asset.assetTemplateKey] : [],
			statusKey: null,
			dueAt: s.date(0, interval),
			categoryCode: 'PM',
			requiresMaterials: true,
			triggers: [{ uomKey: days, type: 'Time', interval: String(interval), recurring: 'days', condition: null }],
			tasks: tasksFor(s, key, p.int(2, 4)),
			resources: [],
			...s.stamps(),
		});
		for (const part of p.sample(parts, p.int(1, 3))) s.add(MATERIAL_ITEMS, materialItem(s, { pmKey: key }, part, p.int(1, 3)));
	}
	const srStatuses = s.rows('statuses/service-requests');
	for (let i = 0; i < counts.serviceRequests; i++) {
		const asset = p.pick(equipment);
		const status = p.pick(srStatuses);
		s.add('service-requests', {
			siteKey: asset.siteKey,
			locationKey: asset.locationKey,
			storeroomKey: null,
			assetKey: asset.key,
			workOrderKey: null,
			teamKey: s.pickKey('teams'),
			userRequestedKey: s.pickKey('users'),
			userApprovedKey: s.pickKey('users'),
			laborAssignedKey: null,
			documents: [],
			title: `${p.pick(WORK_ORDER_PROBLEMS)} reported on ${asset.name}`,
			description: 'Reported by an operator during the shift round.',
			statusKey: status.key,
			severity: p.pick(SEVERITIES),
			estimatedTime: null,
			roleName: null,
			categoryName: 'Corrective',
			notes: null,
			approvedAt: s.date(-60, -1),
			dueAt: s.date(0, 14),
			...s.stamps(),
		});
	}
	for (const name of WORK_ORDER_CUSTOM_FIELD_NAMES) s.add(WORK_ORDER_CUSTOM_FIELDS, { key: s.key(), name });
}

/**
 * Work orders: updatedAt spread over the last 90 days, with runs of identical
 * timestamps (every 97th record starts a run of 3–6, and about one in ten repeats its
 * predecessor) so that equal timestamps straddle page boundaries in any page size.
 */
export function seedWorkOrders(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const equipment = s.rows('assets').filter((a) => a.isPhysical);
	const statuses = s.rows('statuses/work-orders');
	const byCode = new Map(statuses.map((st) => [String(st.code), st]));
	const open = ['WAPPR', 'APPR', 'WSCH', 'INPRG', 'WMATL'].map((c) => byCode.get(c)!);
	const done = ['COMP', 'CLOSE', 'CLOSE', 'COMP', 'CAN'].map((c) => byCode.get(c)!);
	const teams = s.rows('teams');
	const labors = s.rows('labors');
	const users = s.rows('users');
	const accounts = s.rows('accounts');
	const pms = s.rows('pm');
	const requests = s.rows('service-requests');
	const storerooms = s.rows('storerooms');
	const parts = s.rows('materials');
	const organization = s.rows('organizations')[0].key;
	const collection = s.store.collection('work-orders');
	const materials = s.store.collection(WORK_ORDER_MATERIALS);
	for (const field of s.fields('work-orders')) collection.fields.add(field);

	let stamp = s.now;
	let run = 0;
	for (let i = 0; i < counts.workOrders; i++) {
		if (i > 0 && i % 97 === 0) run = p.int(2, 5);
		if (run > 0) run--;
		else if (i === 0 || !p.chance(0.1)) stamp = s.now - floor((p.next() * 90 * DAY) / 1000) * 1000;
		const updatedAt = stamp;
		const createdAt = updatedAt - floor((p.next() * 60 * DAY) / 1000) * 1000;
		const asset = p.pick(equipment);
		const recent = s.now - updatedAt < 10 * DAY;
		const status = recent ? p.pick(p.chance(0.8) ? open : done) : p.pick(p.chance(0.85) ? done : open);
		const category = p.pick(WORK_CATEGORIES);
		const pm = category === 'Preventive' && pms.length ? p.pick(pms) : undefined;
		const request = category === 'Corrective' && p.chance(0.4) ? p.pick(requests) : undefined;
		const scheduledAt = createdAt + p.int(0, 7) * DAY;
		const completed = status.code === 'COMP' || status.code === 'CLOSE';
		const estimated = p.int(1, 16) / 2;
		const key = s.key();
		const room = p.pick(storerooms);
		const materialCount = p.chance(0.3) ? p.int(1, 2) : 0;
		collection.insert({
			key,
			parentKey: null,
			locationKey: asset.locationKey,
			siteKey: asset.siteKey,
			assetKey: asset.key,
			accountKey: p.pick(accounts).key,
			title: pm ? `${pm.title}` : `${p.pick(WORK_ORDER_PROBLEMS)} – ${asset.name}`,
			serviceRequestKey: request?.key ?? null,
			code: `WO${100001 + i}`,
			pmKey: pm?.key ?? null,
			teamKey: p.pick(teams).key,
			laborAssignedKey: p.pick(labors).key,
			userApprovedKey: status.code === 'WAPPR' ? null : p.pick(users).key,
			assetDowntimeKey: null,
			organizationKey: organization,
			instructions: 'Follow the lock-out/tag-out procedure before starting.',
			status: status.name,
			statusKey: status.key,
			severity: p.pick(SEVERITIES),
			estimatedTime: `${estimated}`,
			roleName: p.pick(ROLES.slice(0, 3)),
			categoryName: category,
			storeroomKey: room.key,
			notes: null,
			approvedAt: status.code === 'WAPPR' ? null : iso(createdAt + 3_600_000),
			dueAt: iso(scheduledAt + 7 * DAY),
			scheduledAt: iso(scheduledAt),
			actualTime: completed ? `${max(0.5, estimated + p.int(-2, 4) / 2)}` : null,
			completedAt: completed ? iso(updatedAt) : null,
			completionRemarks: completed ? 'Work completed, equipment returned to service.' : null,
			// tasks and resources are derived from the record when it is served (see
			// workOrderDetails): seeding 100k work orders with nested objects took seconds.
			documents: [],
			materialCount: `${materialCount}`,
			createdAt: iso(createdAt),
			updatedAt: iso(updatedAt),
			deletedAt: null,
			shift: p.pick(['A', 'B', 'C']),
			downtimeReason: category === 'Corrective' ? p.pick(['Mechanical', 'Electrical', 'Process', 'Operator']) : null,
			safetyPermitRequired: p.chance(0.2),
		}, i === 0);
		for (let m = 0; m < materialCount; m++) {
			const part = p.pick(parts);
			const required = p.int(1, 6);
			materials.insert({
				key: s.key(),
				workOrderKey: key,
				materialKey: part.key,
				storeroomKey: room.key,
				name: part.name,
				code: part.code,
				partNumber: part.partNumber,
				uomKey: part.uomKey,
				requiredQuantity: `${required}`,
				usedQuantity: completed ? `${required}` : '0',
				unitCost: part.cost,
				createdAt: iso(createdAt),
				updatedAt: iso(updatedAt),
				deletedAt: null,
			}, materials.size === 0);
		}
	}
}

export function seedDocuments(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const assets = s.rows('assets').filter((a) => a.isPhysical);
	for (let i = 0; i < counts.documents; i++) {
		const asset = p.pick(assets);
		const kind = p.pick(['Manual', 'Drawing', 'Certificate', 'Photo']);
		const key = s.key();
		const ext = kind === 'Photo' ? 'jpg' : 'pdf';
		s.add('documents', {
			key,
			entityKeys: [asset.key],
			name: `${asset.name} ${kind.toLowerCase()}.${ext}`,
			url: `https://files.makini.example/documents/${key}.${ext}`,
			type: kind,
			contentType: ext === 'pdf' ? 'application/pdf' : 'image/jpeg',
			description: `${kind} for ${asset.name}`,
			notes: null,
			...s.stamps(),
		});
	}
}

/**
 * The nested parts of a seeded work order (tasks and the labour resource), derived
 * deterministically from the record and the seed when it is served.
 */
export function workOrderDetails(seed: number, record: Record<string, unknown>): { tasks: unknown[]; resources: unknown[] } {
	const prng = new Prng(`${seed}:wo:${String(record.key)}`);
	const key = () => `0${prng.int(0, 9)}000${prng.int(100_000_000, 999_999_999)}`;
	const completed = Boolean(record.completedAt);
	const estimated = Number(record.estimatedTime ?? 1);
	return {
		tasks: tasksFor({ prng, key }, String(record.key), prng.int(1, 3)),
		resources: [
			{
				laborKey: record.laborAssignedKey ?? null, vendorKey: null, assetKey: record.assetKey ?? null, teamKey: record.teamKey ?? null,
				poKey: null, poLineItemKey: null, accountKey: record.accountKey ?? null, name: String(record.roleName ?? 'Technician'),
				description: null, estimatedTime: String(estimated), registeredTime: completed ? String(record.actualTime ?? estimated) : null,
				rate: '65.00', cost: completed ? (Number(record.actualTime ?? estimated) * 65).toFixed(2) : null,
				startedAt: completed ? (record.scheduledAt ?? null) : null, finishedAt: completed ? record.completedAt : null,
				createdAt: record.createdAt, updatedAt: record.updatedAt, deletedAt: null,
			},
		],
	};
}
