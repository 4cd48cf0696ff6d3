/** The connection-health verdict shared by the node and the connection-health trigger. */
import { CONNECTION_HEALTHS, healthOf, withHealth } from '../../nodes/shared/health';

describe('healthOf', () => {
	it.each([
		['done', 'healthy'],
		['fulldone', 'healthy'],
		['inprogress', 'syncing'],
		['error', 'sync_failed'],
		['fail', 'reauthorization_required'],
		['FAIL', 'reauthorization_required'],
		[null, 'syncing'],
		['', 'syncing'],
		['exploded', 'sync_failed'],
	])('%s → %s', (syncStatus, health) => {
		const verdict = healthOf(syncStatus);
		expect(verdict.health).toBe(health);
		expect(CONNECTION_HEALTHS).toContain(verdict.health);
		expect(verdict.explanation.length).toBeGreaterThan(20);
		expect(verdict.nextStep.length).toBeGreaterThan(5);
	});

	it('names an undocumented status in its explanation', () => {
		expect(healthOf('exploded').explanation).toContain('"exploded"');
	});

	it('keeps every raw field beside the verdict', () => {
		const integration = { id: 'c1', sync_status: 'fail', sync_updated_at: '2026-01-01T00:00:00Z', provider: 'sap' };
		expect(withHealth(integration)).toEqual({
			...integration,
			health: 'reauthorization_required',
			healthExplanation: healthOf('fail').explanation,
			nextStep: healthOf('fail').nextStep,
		});
	});
});
