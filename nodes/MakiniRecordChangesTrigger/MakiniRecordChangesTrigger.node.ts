import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { searchConnections } from '../shared/connectionSearch';
import { credentialsByAuthentication } from '../shared/descriptions/credentials';
import { filterSearches } from './methods/listSearch';
import { getFilterFields } from './methods/loadOptions';
import { pollRecordChanges } from './poll';
import { triggerProperties } from './properties';

/**
 * Polls a Makini list for new and updated records: the fallback that catches what
 * webhooks miss, and the only change feed for resources Makini sends no webhooks for.
 */
export class MakiniRecordChangesTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini Record Changes Trigger',
		name: 'makiniRecordChangesTrigger',
		icon: { light: 'file:makini.svg', dark: 'file:makini.dark.svg' },
		group: ['trigger'],
		// 2: filter values typed by field (see filterInputs); 1 keeps its text values.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{({ newOrUpdated: "New or updated ", new: "New ", updated: "Updated " })[$parameter["changes"]] + $parameter["resource"]}}',
		description:
			'Starts the workflow when records are created or updated in a CMMS, ERP or WMS through Makini (work orders, assets, purchase orders and every other list), by polling',
		defaults: { name: 'Makini Record Changes Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication(),
		properties: triggerProperties(),
	};

	methods = { loadOptions: { getFilterFields }, listSearch: { searchConnections, ...filterSearches } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollRecordChanges.call(this);
	}
}
