/**
 * Maps keyed by values Makini chooses (record keys, connection ids), kept in a node's
 * static data. In memory they are Maps: a plain object would take a key such as
 * `__proto__`, `constructor` or `toString` for something it inherits. Static data is
 * saved as JSON, where a Map does not survive (it becomes `{}`) and an object keyed by
 * such names is only as safe as every later copy of it, so the stored form is a list of
 * [key, value] pairs. An object written by an earlier version is read by its own keys.
 */

export type StoredEntries<T> = Array<[string, T]>;

/** The stored form of a map. */
export function toStoredEntries<T>(map: ReadonlyMap<string, T>): StoredEntries<T> {
	return [...map];
}

/**
 * The map from its stored form (pairs, or an object of an earlier version), keeping the
 * entries whose value `valid` accepts; undefined when it is neither.
 */
export function fromStoredEntries<T>(stored: unknown, valid: (value: unknown) => value is T): Map<string, T> | undefined {
	let entries: Array<[unknown, unknown]>;
	if (Array.isArray(stored)) {
		entries = stored.filter((entry): entry is [unknown, unknown] => Array.isArray(entry) && entry.length === 2);
	} else if (stored !== null && typeof stored === 'object') {
		entries = Object.entries(stored);
	} else {
		return undefined;
	}
	const map = new Map<string, T>();
	for (const [key, value] of entries) if (typeof key === 'string' && valid(value)) map.set(key, value);
	return map;
}

export const isString = (value: unknown): value is string => typeof value === 'string';
