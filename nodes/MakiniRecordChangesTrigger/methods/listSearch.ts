/**
 * The filter values' "From List" (statuses, key fields' records) for the watched list.
 * With the System API credential the list is read from the watched connection; watching
 * all or tagged connections there is no one connection to list from, so the search says
 * to type the value instead (the filter applies to every watched connection alike).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { currentRequestAuth, type RequestAuth } from '../../shared/connection';
import { listSearches } from '../../shared/listSearch';
import type { ContractOperation } from '../../shared/registry';
import { AUTHENTICATION_VALUE } from '../../shared/registry/kinds';
import { WATCH_CONNECTIONS_PARAMETER } from '../../shared/watchConnections';

export function watchedRequestAuth(ctx: ILoadOptionsFunctions, op: ContractOperation): RequestAuth {
	const systemApi = ctx.getCurrentNodeParameter('authentication') === AUTHENTICATION_VALUE.makiniSystemApi;
	const watching = ctx.getCurrentNodeParameter(WATCH_CONNECTIONS_PARAMETER) ?? 'all';
	if (systemApi && watching !== 'one') {
		const which = watching === 'tags' ? 'the tagged connections' : 'all connections';
		throw new NodeOperationError(ctx.getNode(), `No list while watching ${which}: use By Key or By Name`, {
			description:
				'Each connection has its own records and statuses, so there is no one list to pick from. Choose By Key (or By Name) and type the value, or set Watch Connections to One to pick from that connection’s list.',
		});
	}
	return currentRequestAuth(ctx, op);
}

export const filterSearches = listSearches(watchedRequestAuth);
