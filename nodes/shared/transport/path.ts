import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/**
 * Substitutes `{key}`-style placeholders of a documented path. Values are URL-encoded,
 * and values that would change which path is called (empty, `.`, `..`, control
 * characters) are refused with an error naming the parameter.
 */
export function pathWithParams(
	node: INode,
	template: string,
	params: Record<string, unknown>,
	itemIndex?: number,
): string {
	return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
		const raw = params[name];
		const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
		if (!value) {
			throw new NodeOperationError(node, `The parameter "${name}" is empty`, {
				itemIndex,
				description: `Set "${name}" to the Makini key of the record (its \`key\` field).`,
			});
		}
		if (value === '.' || value === '..' || /\p{Cc}/u.test(value)) {
			throw new NodeOperationError(node, `The parameter "${name}" is not a valid key: "${value.replace(/[^\x20-\x7e]/g, '?')}"`, {
				itemIndex,
				description: 'A Makini key is an identifier such as "06000223041215"; it cannot be a path.',
			});
		}
		return encodeURIComponent(value);
	});
}
