import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { route } from './actions/router';
import { familyNaming } from '../shared/registry/families';
import { credentials, familyProperties } from './descriptions';
import { listSearch, loadOptions } from './methods';

/** Makini WMS: every documented operation of Makini's WMS API, and the connection's own. */
export class MakiniWms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini WMS',
		name: 'makiniWms',
		icon: { light: 'file:makini-wms.svg', dark: 'file:makini-wms.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"WMS: " + $parameter["operation"] + " " + $parameter["resource"]}}',
		description: familyNaming('wms').description,
		defaults: { name: 'Makini WMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: familyProperties('wms'),
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, 'wms');
	}
}
