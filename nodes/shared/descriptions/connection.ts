/**
 * The Connection parameter of the action nodes: shown with the System API credential for
 * every operation that runs on one connection. Built from the registry: a resource whose
 * operations all run on a connection shows it for the whole resource; a resource that
 * mixes both (Connection: Get Status and Disconnect beside the System API's own) for
 * those operations only.
 */
import type { INodeProperties } from 'n8n-workflow';

import { CONNECTION_PARAMETER, runsOnConnection } from '../connection';
import { OPERATIONS } from '../registry';
import { AUTHENTICATION_VALUE } from '../registry/kinds';
import { CONNECTION_TAGS_PARAMETER, WATCH_CONNECTIONS_PARAMETER } from '../watchConnections';

const DESCRIPTION =
	'The connection (one customer’s system) to act on: from the list, by ID, or by an expression (e.g. the key of each connection that Connection → Get Many returns) to loop over connections. Its token is obtained through the System API and kept in memory only until shortly before it expires.';

function property(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Connection',
		name: CONNECTION_PARAMETER,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: DESCRIPTION,
		displayOptions: { show: { authentication: [AUTHENTICATION_VALUE.makiniSystemApi], ...show } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a connection...',
				typeOptions: { searchListMethod: 'searchConnections', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3f2a9c1e-7b4d-4e8a-a1f2-9c0d5e6b7a81',
			},
		],
	};
}

/** One Connection property per way it is shown (see the module comment). */
export function connectionProperties(resources?: readonly string[]): INodeProperties[] {
	const wanted = resources ? new Set(resources) : undefined;
	const whole: string[] = [];
	const partly = new Map<string, string[]>();
	for (const resource of new Set(OPERATIONS.map((op) => op.resource))) {
		if (wanted && !wanted.has(resource)) continue;
		const ops = OPERATIONS.filter((op) => op.resource === resource);
		const onConnection = ops.filter(runsOnConnection).map((op) => op.operation);
		if (onConnection.length === ops.length) whole.push(resource);
		else if (onConnection.length) partly.set(resource, [...new Set(onConnection)]);
	}
	const properties: INodeProperties[] = [];
	if (whole.length) properties.push(property({ resource: whole }));
	for (const [resource, operations] of partly) properties.push(property({ resource: [resource], operation: operations }));
	return properties;
}

/**
 * What a polling trigger watches with the System API credential (see shared/watchConnections):
 * all connections, those with given tags, or one. `show` is the condition that the System
 * API credential is chosen, in the trigger's own terms.
 */
export function watchConnectionsProperties(show: Record<string, string[]>): INodeProperties[] {
	const one = property({});
	return [
		{
			displayName: 'Watch Connections',
			name: WATCH_CONNECTIONS_PARAMETER,
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'All', value: 'all', description: 'Every connection of the System API client, including ones added later' },
				{ name: 'By Tag', value: 'tags', description: 'The connections that carry the tags below (Makini connection tags)' },
				{ name: 'One', value: 'one', description: 'One connection, chosen from the list or by ID' },
			],
			default: 'all',
			description: 'Which connections to watch. Each one is polled on its own: its own state, its own errors.',
			displayOptions: { show },
		},
		{
			displayName: 'Tags',
			name: CONNECTION_TAGS_PARAMETER,
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. production',
			description: 'A connection is watched when it carries every one of these tags (comma-separated, case-insensitive)',
			displayOptions: { show: { ...show, [WATCH_CONNECTIONS_PARAMETER]: ['tags'] } },
		},
		{
			...one,
			description: 'The connection to watch: from the list or by ID',
			displayOptions: { show: { ...show, [WATCH_CONNECTIONS_PARAMETER]: ['one'] } },
		},
	];
}
