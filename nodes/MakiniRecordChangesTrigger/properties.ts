/** The trigger's parameters: which records, which changes, filters and polling options. */
import type { INodeProperties } from 'n8n-workflow';

import { watchConnectionsProperties } from '../shared/descriptions/connection';
import { optionsCollection } from '../shared/descriptions/options';
import { AUTHENTICATION_VALUE } from '../shared/registry/kinds';
import { filterMatchOption, filtersProperty } from '../shared/descriptions/filters';
import { resourceProperty, systemProperty } from '../shared/descriptions/selectors';
import { pluralOf } from '../shared/registry/naming';
import { filterValueInputs } from './filterInputs';
import { WATCHED_RESOURCES, WATCHED_SYSTEMS, type WatchedResource } from './resources';

export const DEFAULT_MAX_RECORDS = 1000;

/** The records a new trigger watches first in each system: the lists builders watch most. */
const DEFAULT_WATCHED: Record<string, string> = { eam: 'workOrder', erp: 'purchaseOrder', wms: 'stock' };

/** One Resource picker per system, with the resources that have a list. */
function resourceProperties(): INodeProperties[] {
	return WATCHED_SYSTEMS.map((system) => {
		const resources = WATCHED_RESOURCES.filter((w) => w.system === system).map((w) => w.resource);
		const preferred = DEFAULT_WATCHED[system];
		return resourceProperty(system, resources, resources.includes(preferred) ? preferred : resources[0], 'The records to watch');
	});
}

/** What the builder should know about resources that are not tracked on updatedAt and createdAt. */
function trackingNote(w: WatchedResource): string | undefined {
	const plural = pluralOf(w.resource);
	if (w.tracking === 'createdAt') {
		return `Makini documents no updatedAt for ${plural}: the trigger sees new records only (by createdAt), not updates.`;
	}
	if (w.tracking === 'snapshot') {
		return `Makini documents no timestamp for ${plural}: each poll reads the whole list and compares it with the last one (new and changed records are emitted).`;
	}
	if (!w.hasCreatedAt) {
		return `Makini documents no createdAt for ${plural}: a record that does not carry one is reported as updated, so "New Records" may miss it. Prefer "New or Updated Records".`;
	}
	return undefined;
}

function noticeProperties(): INodeProperties[] {
	return WATCHED_RESOURCES.flatMap((w) => {
		const note = trackingNote(w);
		if (!note) return [];
		return [
			{
				displayName: note,
				name: 'trackingNotice',
				type: 'notice' as const,
				default: '',
				displayOptions: { show: { system: [w.system], resource: [w.resource] } },
			},
		];
	});
}

const changesProperty: INodeProperties = {
	displayName: 'Trigger On',
	name: 'changes',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'New or Updated Records',
			value: 'newOrUpdated',
			description: 'Every change; each item says which in makiniChange',
		},
		{ name: 'New Records', value: 'new', description: 'Records created since the last poll' },
		{ name: 'Updated Records', value: 'updated', description: 'Changes to records that existed before the last poll' },
	],
	default: 'newOrUpdated',
	hint: 'A record is new when it was created (its createdAt) after the trigger last looked and was not emitted before; any other change is an update. Each item carries makiniChange: "new" or "updated".',
};

/** The field picker follows the watched list. */
const FIELD_DEPENDS_ON = ['system', 'resource'];

const optionsProperty: INodeProperties = optionsCollection([
	{
		displayName: 'Backfill on Activation (Days)',
		name: 'backfillDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'On the first poll after activation, also emit the changes of this many past days (Makini’s initial syncs cover 30 to 90 days). 0 starts from now.',
	},
	{
		displayName: 'Connection Errors',
		name: 'connectionErrors',
		type: 'options',
		displayOptions: { show: { '/authentication': [AUTHENTICATION_VALUE.makiniSystemApi] } },
		options: [
			{
				name: 'Emit an Item Once per Outage',
				value: 'item',
				description: 'An item with makiniChange "connectionError", its connection and Makini’s error, when a connection starts failing',
			},
			{ name: 'Log Only', value: 'log', description: 'Only n8n’s log says which connection failed' },
		],
		default: 'item',
		description:
			'What happens when one watched connection cannot be read: the others are polled anyway and its cursor stays, so its changes follow when it works again. When every watched connection fails, the poll fails.',
	},
	{
		displayName: 'Lookback (Minutes)',
		name: 'lookbackMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Re-read this far behind the last change seen, for connected systems whose records reach Makini with older timestamps. Records already emitted are not emitted again.',
	},
	filterMatchOption(),
	{
		displayName: 'Max Records per Poll',
		name: 'maxRecords',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_RECORDS,
		description: 'Most records one poll emits; the rest follow on the next polls, in order, none skipped',
	},
]);

/** Which credential: one connection's API token, or the System API client and the connections to watch. */
const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'API Token (One Connection)',
			value: AUTHENTICATION_VALUE.makiniApi,
			description: 'The connection behind a Makini API token',
		},
		{
			name: 'System API (Many Connections)',
			value: AUTHENTICATION_VALUE.makiniSystemApi,
			description: 'All, tagged or one of your Makini client’s connections; each item names its connection in makiniConnection',
		},
	],
	default: 'apiToken',
};

export function triggerProperties(): INodeProperties[] {
	return [
		authenticationProperty,
		...watchConnectionsProperties({ authentication: [AUTHENTICATION_VALUE.makiniSystemApi] }),
		systemProperty(WATCHED_SYSTEMS, 'The kind of system behind the Makini connection'),
		...resourceProperties(),
		changesProperty,
		...noticeProperties(),
		filtersProperty(FIELD_DEPENDS_ON, filterValueInputs()),
		optionsProperty,
	];
}
