import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { route } from './actions/router';
import { credentials, nodeProperties } from './descriptions';
import { listSearch, loadOptions } from './methods';

/** Makini: every documented operation of the EAM/CMMS, ERP and WMS APIs and of the platform. */
export class Makini implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini',
		name: 'makini',
		icon: { light: 'file:makini.svg', dark: 'file:makini.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read and write work orders, assets, purchase orders, materials, inventory and more in 2,000+ industrial systems (CMMS/EAM, ERP, WMS) through Makini',
		defaults: { name: 'Makini' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: nodeProperties(),
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
