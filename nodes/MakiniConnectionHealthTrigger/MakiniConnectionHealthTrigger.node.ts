import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { searchConnections } from '../shared/connectionSearch';
import { pollConnectionHealth } from './poll';
import { credentials, properties } from './properties';

/**
 * Alerts on the health of Makini connections: a sync that failed, a connection that
 * needs reauthorization, was disconnected or has not synced for too long, and its
 * recovery. Changes of state only, each once.
 */
export class MakiniConnectionHealthTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini Connection Health Trigger',
		name: 'makiniConnectionHealthTrigger',
		icon: { light: 'file:makini.svg', dark: 'file:makini.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{"Sync failed, reauthorization, disconnected: " + ($parameter["authentication"] !== "systemApi" ? "one connection" : ({ all: "all connections", tags: "tagged " + $parameter["connectionTags"], one: "one connection" })[$parameter["watchConnections"] || "all"])}}',
		description:
			'Alerts when a Makini connection’s sync failed, it needs reauthorization, was disconnected or its sync is overdue, and when it is healthy again',
		defaults: { name: 'Makini Connection Health Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties,
	};

	methods = { listSearch: { searchConnections } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollConnectionHealth.call(this);
	}
}
