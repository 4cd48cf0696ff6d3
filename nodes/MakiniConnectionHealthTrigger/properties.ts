/** The trigger's parameters: which connections, which alerts, the overdue threshold. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { watchConnectionsProperties } from '../shared/descriptions/connection';
import { optionsCollection } from '../shared/descriptions/options';
import { credentialsByAuthentication } from '../shared/descriptions/credentials';
import { AUTHENTICATION_VALUE } from '../shared/registry/kinds';

/** What an item reports; also the values of the Alerts parameter. */
export const ALERT_KINDS = [
	'sync_failed',
	'reauthorization_required',
	'disconnected',
	'sync_overdue',
	'recovered',
	'poll_error',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const DEFAULT_OVERDUE_HOURS = 24;

export const credentials: INodeCredentialDescription[] = credentialsByAuthentication();

/** The Watch parameter's default: the connection behind an API token. */
const ONE_CONNECTION = AUTHENTICATION_VALUE.makiniApi;

export const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Connection (API Token)',
				value: AUTHENTICATION_VALUE.makiniApi,
				description: 'The connection behind a Makini API token (GET /api/integrations/current)',
			},
			{
				name: 'Many Connections (System API)',
				value: AUTHENTICATION_VALUE.makiniSystemApi,
				description: 'All, tagged or one of your Makini client’s connections, with the System API credential',
			},
		],
		default: ONE_CONNECTION,
	},
	...watchConnectionsProperties({ authentication: [AUTHENTICATION_VALUE.makiniSystemApi] }),
	{
		displayName: 'Alerts',
		name: 'alerts',
		type: 'multiOptions',
		options: [
			{ name: 'Back to Healthy', value: 'recovered', description: 'A connection that had a problem syncs fine again' },
			{ name: 'Disconnected', value: 'disconnected', description: 'The connection was disconnected or deleted' },
			{
				name: 'Polling Failed or Recovered',
				value: 'poll_error',
				description: 'Makini could not be reached (reported once), and once more when it can again',
			},
			{
				name: 'Reauthorization Required',
				value: 'reauthorization_required',
				description: 'The connected system rejected the credentials Makini holds (sync status "fail", or a 401)',
			},
			{ name: 'Sync Failed', value: 'sync_failed', description: 'The last sync ended in error (sync status "error")' },
			{
				name: 'Sync Overdue',
				value: 'sync_overdue',
				description: 'No successful sync for longer than the threshold below',
			},
		],
		default: [...ALERT_KINDS],
		description: 'Which changes of state start the workflow. Each is reported once, when it happens.',
	},
	{
		displayName: 'Sync Overdue After (Hours)',
		name: 'overdueHours',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: DEFAULT_OVERDUE_HOURS,
		description: 'Alert when no sync has succeeded (sync status done or fulldone) for this long. 0 turns it off.',
		displayOptions: { show: { alerts: ['sync_overdue'] } },
	},
	{
		displayName:
			'Fetch Test Event returns a sample of each selected alert for the watched connection, to map fields from. Options → Test Event → Current State shows its state now.',
		name: 'testEventNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection([
		{
			displayName: 'Emit Current State on Activation',
			name: 'emitCurrentState',
			type: 'boolean',
			default: false,
			description:
				'Whether the first poll after activation emits one item per connection with its state. Otherwise it only records the state and alerts on changes from then on.',
		},
		{
			displayName: 'Sync Status Source',
			name: 'statusSource',
			type: 'options',
			displayOptions: { show: { '/authentication': [AUTHENTICATION_VALUE.makiniSystemApi] } },
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description: 'Use the sync status the connection list carries; where it has none, ask each connection',
				},
				{
					name: 'Connection List',
					value: 'connectionList',
					description: 'Only the connection list (one request per poll)',
				},
				{
					name: 'Each Connection',
					value: 'eachConnection',
					description:
						'Issue a short-lived token per connection and read its status (GET /api/integrations/current), as Makini documents it',
				},
			],
			default: 'auto',
		},
		{
			displayName: 'Test Event',
			name: 'testEvent',
			type: 'options',
			options: [
				{
					name: 'Sample of Each Selected Alert',
					value: 'samples',
					description: 'One item per alert chosen above, for the watched connection, shaped as a real alert: to map fields from',
				},
				{
					name: 'Current State',
					value: 'currentState',
					description: 'One item per watched connection with the state Makini reports now',
				},
			],
			default: 'samples',
			description: 'What Fetch Test Event returns. Active workflows only ever get real alerts.',
		},
	]),
];
