/** Update Status: a status loaded live from /statuses/<entity>, or a key from an expression. */
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../shared/registry';
import { NO_DELETE_HINT } from '../../shared/registry/naming';
import { forOperation } from './scope';

export function statusProperties(): INodeProperties[] {
	// The one place a builder looking for Delete lands: say so here, not under every operation.
	return OPERATIONS.filter((op) => op.operation === 'updateStatus').flatMap((op) => [
		forOperation(op, {
			displayName: 'Status Name or ID',
			name: 'status',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getStatuses', loadOptionsDependsOn: ['system', 'resource'] },
			default: '',
			required: true,
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'The statuses come from the connected system; by expression, give the status key',
		}),
		forOperation(op, { displayName: NO_DELETE_HINT, name: 'deleteNotice', type: 'notice', default: '' }),
	]);
}
