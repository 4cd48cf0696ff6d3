import { ALL_EVENTS, eventOptions, isEventSelected, normaliseEvent } from '../../nodes/MakiniTrigger/events';
import { findOperation } from '../../nodes/shared/registry';

describe('event catalogue', () => {
	const values = eventOptions().map((o) => o.value);

	it('offers All Events and every documented event: 4 entities × inserted/updated, 5 connection events', () => {
		expect(values[0]).toBe(ALL_EVENTS);
		for (const slug of ['sites', 'assets', 'purchase-orders', 'work-orders']) {
			expect(values).toEqual(expect.arrayContaining([`${slug}.inserted`, `${slug}.updated`]));
		}
		expect(values).toEqual(
			expect.arrayContaining([
				'connection.sync_completed',
				'connection.sync_failed',
				'connection.reauthorization_required',
				'connection.status_changed',
				'connection.system_error',
			]),
		);
		expect(values).toHaveLength(1 + 8 + 5);
		expect(new Set(values).size).toBe(values.length);
	});

	it('maps every offered event onto itself', () => {
		for (const value of values.filter((v) => v !== ALL_EVENTS)) {
			expect(normaliseEvent(value)).toMatchObject({ name: value, known: true });
		}
	});

	it('names entities as the Makini node names its resources, so keys can be fetched with it', () => {
		for (const value of values.filter((v) => v !== ALL_EVENTS && !v.startsWith('connection.'))) {
			const { entity } = normaliseEvent(value);
			expect(findOperation('eam', entity!, 'get')).toBeDefined();
		}
	});
});

describe('normaliseEvent', () => {
	it('accepts the documented sample', () => {
		expect(normaliseEvent('assets.updated')).toEqual({ name: 'assets.updated', known: true, entity: 'asset', action: 'updated' });
	});

	it.each(['work-orders.updated', 'work_orders.updated', 'workOrders.updated', 'WorkOrders.Updated', 'workorders.updated', 'work_order.updated'])(
		'accepts the spelling %s',
		(name) => {
			expect(normaliseEvent(name)).toEqual({ name: 'work-orders.updated', known: true, entity: 'workOrder', action: 'updated' });
		},
	);

	it('accepts created as inserted, and purchase orders in any spelling', () => {
		expect(normaliseEvent('purchase_orders.created')).toMatchObject({ name: 'purchase-orders.inserted', entity: 'purchaseOrder' });
		expect(normaliseEvent('purchaseOrders.inserted')).toMatchObject({ name: 'purchase-orders.inserted' });
	});

	it.each([
		['connection.sync_completed', 'connection.sync_completed'],
		['sync.completed', 'connection.sync_completed'],
		['connection.syncCompleted', 'connection.sync_completed'],
		['sync.failed', 'connection.sync_failed'],
		['connection.sync_failed', 'connection.sync_failed'],
		['connection.reauthorization_required', 'connection.reauthorization_required'],
		['connection.needs_reauthorization', 'connection.reauthorization_required'],
		['connection.status_changed', 'connection.status_changed'],
		['connection.offline', 'connection.status_changed'],
		['connection.system_error', 'connection.system_error'],
		['system.error', 'connection.system_error'],
	])('maps the connection event %s to %s', (received, canonical) => {
		expect(normaliseEvent(received)).toMatchObject({ name: canonical, known: true, entity: 'connection' });
	});

	it('keeps unknown names as received', () => {
		expect(normaliseEvent('invoices.updated')).toEqual({ name: 'invoices.updated', known: false, entity: null, action: null });
		expect(normaliseEvent('')).toMatchObject({ known: false });
		expect(normaliseEvent(42)).toMatchObject({ name: '', known: false });
	});
});

describe('isEventSelected', () => {
	it('passes a selected event in any spelling, not an unselected one', () => {
		expect(isEventSelected(normaliseEvent('work_orders.updated'), ['work-orders.updated'])).toBe(true);
		expect(isEventSelected(normaliseEvent('work_orders.inserted'), ['work-orders.updated'])).toBe(false);
	});

	it('passes unknown names only with All Events', () => {
		expect(isEventSelected(normaliseEvent('invoices.updated'), ['work-orders.updated'])).toBe(false);
		expect(isEventSelected(normaliseEvent('invoices.updated'), ['*'])).toBe(true);
		expect(isEventSelected(normaliseEvent('sites.deleted'), ['sites.updated', 'sites.inserted'])).toBe(false);
	});

	it('passes nothing when nothing is selected', () => {
		expect(isEventSelected(normaliseEvent('assets.updated'), [])).toBe(false);
	});
});
