import { withArticle } from '../../nodes/shared/article';
import { eventOptions } from '../../nodes/MakiniTrigger/events';

describe('a or an, by sound', () => {
	it.each([
		['asset', 'an asset'],
		['inventory', 'an inventory'],
		['order', 'an order'],
		['unit of measure', 'a unit of measure'],
		['user', 'a user'],
		['site', 'a site'],
		['work order', 'a work order'],
	])('%s → %s', (noun, expected) => {
		expect(withArticle(noun)).toBe(expected);
	});

	it("reads right in the trigger's event descriptions", () => {
		const descriptions = eventOptions().map((o) => o.description);
		expect(descriptions).toContain('An asset was inserted (the payload lists the keys)');
		expect(descriptions.filter((d) => /^A [aeiou]/i.test(d))).toEqual([]);
	});
});
