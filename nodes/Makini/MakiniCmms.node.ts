import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { route } from './actions/router';
import { familyNaming } from '../shared/registry/families';
import { credentials, familyProperties } from './descriptions';
import { listSearch, loadOptions } from './methods';

/** Makini CMMS: every documented operation of Makini's CMMS API, and the connection's own. */
export class MakiniCmms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini CMMS',
		name: 'makiniCmms',
		icon: { light: 'file:makini-cmms.svg', dark: 'file:makini-cmms.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"CMMS: " + $parameter["operation"] + " " + $parameter["resource"]}}',
		description: familyNaming('eam').description,
		defaults: { name: 'Makini CMMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: familyProperties('eam'),
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, 'eam');
	}
}
