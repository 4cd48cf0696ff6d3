import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { route } from './actions/router';
import { familyNaming } from '../shared/registry/families';
import { credentials, familyProperties } from './descriptions';
import { listSearch, loadOptions } from './methods';

/** Makini ERP: every documented operation of Makini's ERP API, and the connection's own. */
export class MakiniErp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini ERP',
		name: 'makiniErp',
		icon: { light: 'file:makini-erp.svg', dark: 'file:makini-erp.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"ERP: " + $parameter["operation"] + " " + $parameter["resource"]}}',
		description: familyNaming('erp').description,
		defaults: { name: 'Makini ERP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: familyProperties('erp'),
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, 'erp');
	}
}
