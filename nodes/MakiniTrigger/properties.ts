/** The trigger's parameters and how they are read. */
import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { optionsCollection } from '../shared/descriptions/options';
import { eventOptions } from './events';
import { RESOLVE_SYSTEMS, type ResolveSystem } from './resolveRecords';

export const DEFAULT_DELIVERY_ID_HEADER = 'X-Makini-Delivery-Id';
export const DEFAULT_DEDUPLICATION_MINUTES = 2;
export const DEFAULT_CLOCK_SKEW_MINUTES = 15;
export const DEFAULT_MAX_BODY_KB = 1024;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Makini has no API to register webhooks: paste this node's Production URL into the webhook settings of your Makini dashboard, with the same secret as in the credential, and activate the workflow",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName:
			'Which connection a delivery came from: connectionId is set when the payload names it (connection events do); Makini’s documented entity events carry only the event and record keys, so there connectionId is null. To tell customers apart, give each connection its own webhook URL, or use the Makini Record Changes Trigger with the System API credential (its items always name their connection).',
		name: 'connectionNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		options: eventOptions(),
		description:
			'The events that start the workflow. Other events are acknowledged and start nothing; event names Makini adds later pass only with All Events.',
	},
	{
		displayName: 'Resolve Records',
		name: 'resolveRecords',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the records an entity event names through the Makini API and emit only those whose updatedAt moved since the last one emitted for that key',
		hint: 'On: a replayed, retried or out-of-order entity event starts nothing unless a record really changed since it was last emitted, and items carry the current records (one GET per key before Makini is answered; a record without updatedAt is always emitted, a deleted one never). Off: Makini’s entity events carry no time, so an identical body is recognised as a copy only within the Deduplication Window (a replay after it runs again, and a second real change of the same records inside it looks identical and starts nothing).',
	},
	{
		displayName: 'Makini API Family',
		name: 'system',
		type: 'options',
		default: 'eam',
		displayOptions: { show: { resolveRecords: [true] } },
		options: [
			{ name: 'EAM / CMMS', value: 'eam', description: 'Sites, assets, purchase orders and work orders' },
			{ name: 'ERP', value: 'erp', description: 'Sites and purchase orders (ERP has no assets or work orders)' },
			{ name: 'WMS', value: 'wms', description: 'Sites and purchase orders (WMS has no assets or work orders)' },
		],
		description: 'Which Makini API the connection behind the credential uses, to read the records from',
	},
	optionsCollection([
		{
			displayName: 'Clock Skew Tolerance (Minutes)',
			name: 'clockSkew',
			type: 'number',
			default: DEFAULT_CLOCK_SKEW_MINUTES,
			typeOptions: { minValue: 0 },
			description:
				'How far Makini’s clock may be from this n8n’s. A delivery whose payload timestamp is older than Makini’s 24-hour retry period plus this, or further ahead than this, is refused; every one inside that span runs once and its replays are refused.',
		},
		{
			displayName: 'Deduplication Window (Minutes)',
			name: 'deduplicationWindow',
			type: 'number',
			default: DEFAULT_DEDUPLICATION_MINUTES,
			typeOptions: { minValue: 0 },
			description:
				'How long an identical delivery without a delivery ID or timestamp counts as a copy of the first. 0 turns this off.',
			hint: 'Deliveries whose signed payload carries a timestamp or a delivery ID are recognised for Makini’s whole 24-hour retry period. Makini’s documented payload has neither: an identical body within this window is then taken as a retry and starts nothing, so a record that really changes twice within it is reported once, and a copy replayed after it runs again (turn on Resolve Records to make that harmless). Longer catches more retries, shorter misses fewer real changes.',
		},
		{
			displayName: 'Delivery ID Header',
			name: 'deliveryIdHeader',
			type: 'string',
			default: DEFAULT_DELIVERY_ID_HEADER,
			description:
				'Header whose value is passed to the output as deliveryId. It is not signed, so it never decides what a duplicate is: the signed body does.',
		},
		{
			displayName: 'Drop Out-of-Order Events',
			name: 'dropOutOfOrder',
			type: 'boolean',
			default: false,
			description:
				'Whether to drop an event older than the newest already seen for the same record (only when the payload carries a timestamp)',
		},
		{
			displayName: 'Max Body Size (KB)',
			name: 'maxBodySizeKb',
			type: 'number',
			default: DEFAULT_MAX_BODY_KB,
			typeOptions: { minValue: 1 },
			description: 'Larger deliveries are refused with 413. A Makini event lists record keys only, so it stays small.',
		},
		{
			displayName: 'One Item per Record Key',
			name: 'splitKeys',
			type: 'boolean',
			default: false,
			description: 'Whether to output one item per changed record instead of one item per event',
		},
	]),
];

export interface TriggerOptions {
	events: string[];
	deliveryIdHeader: string;
	deduplicationWindowMs: number;
	clockSkewMs: number;
	maxBodyBytes: number;
	dropOutOfOrder: boolean;
	splitKeys: boolean;
	resolveRecords: boolean;
	system: ResolveSystem;
}

const minutes = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback) * 60_000;

export function readTriggerOptions(ctx: Pick<IWebhookFunctions, 'getNodeParameter'>): TriggerOptions {
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const resolveRecords = ctx.getNodeParameter('resolveRecords', false) === true;
	const system = resolveRecords ? (ctx.getNodeParameter('system', 'eam') as ResolveSystem) : 'eam';
	const maxKb = typeof options.maxBodySizeKb === 'number' && options.maxBodySizeKb > 0 ? options.maxBodySizeKb : DEFAULT_MAX_BODY_KB;
	return {
		events: Array.isArray(events) ? events : [],
		deliveryIdHeader:
			typeof options.deliveryIdHeader === 'string' ? options.deliveryIdHeader.trim() : DEFAULT_DELIVERY_ID_HEADER,
		deduplicationWindowMs: minutes(options.deduplicationWindow, DEFAULT_DEDUPLICATION_MINUTES),
		clockSkewMs: minutes(options.clockSkew, DEFAULT_CLOCK_SKEW_MINUTES),
		maxBodyBytes: Math.floor(maxKb * 1024),
		dropOutOfOrder: options.dropOutOfOrder === true,
		splitKeys: options.splitKeys === true,
		resolveRecords,
		system: (RESOLVE_SYSTEMS as readonly string[]).includes(system) ? system : 'eam',
	};
}
