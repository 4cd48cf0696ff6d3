/** Parameters of the Makini platform operations: passthrough, connection metadata and tokens. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/descriptions/options';
import { findOperation, type ContractOperation } from '../../shared/registry';
import { pairValues, rowsProperty } from '../../shared/descriptions/rows';
import { forOperation } from './scope';

function platformOp(resource: string, operation: string): ContractOperation {
	const op = findOperation('platform', resource, operation);
	if (!op) throw new Error(`The registry has no platform operation ${resource}.${operation}`);
	return op;
}

function keyValueCollection(displayName: string, name: string, placeholder: string, description: string): INodeProperties {
	return rowsProperty({ displayName, name, placeholder, description, row: 'entries', rowDisplayName: 'Entry', values: pairValues('name') });
}

function passthroughProperties(): INodeProperties[] {
	const op = platformOp('passthrough', 'call');
	return [
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: [
				{ name: 'DELETE', value: 'delete' },
				{ name: 'GET', value: 'get' },
				{ name: 'POST', value: 'post' },
				{ name: 'PUT', value: 'put' },
			],
			default: 'get',
			description: 'HTTP method of the call to the connected system',
		},
		{
			displayName: 'Path',
			name: 'path',
			type: 'string',
			default: '',
			placeholder: 'e.g. dataservice',
			description:
				"Path of the connected system's own API, relative to the base URL Makini holds for it (may be empty when SQL is set)",
		},
		keyValueCollection('Query Parameters', 'query', 'Add Query Parameter', 'Query string of the call'),
		keyValueCollection(
			'Headers',
			'headers',
			'Add Header',
			'Headers of the call (Makini adds the connected system’s authentication)',
		),
		{
			displayName: 'Body',
			name: 'body',
			type: 'json',
			default: '',
			description: 'Body of the call, as JSON',
			displayOptions: { show: { method: ['post', 'put'] } },
		},
		optionsCollection([
			{
				displayName: 'Base64 Encoded',
				name: 'base64encoded',
				type: 'boolean',
				default: false,
				description: 'Whether the body is base64-encoded (binary payloads)',
			},
			{
				displayName: 'Parameters',
				name: 'parameters',
				type: 'json',
				default: '{}',
				description: 'Parameters bound into the SQL statement',
			},
			{
				displayName: 'SQL',
				name: 'sql',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'A SQL statement to run against the connected system, where it supports it',
			},
			]),
	].map((property) => forOperation(op, property as INodeProperties, property.displayOptions?.show));
}

const TOKEN_NOTICE: INodeProperties = {
	displayName:
		'Tokens are secrets with the weight of database credentials. They are left out of the output unless you turn on Include Tokens: then anyone who can see this execution can see them.',
	name: 'tokenNotice',
	type: 'notice',
	default: '',
};

function tokenProperties(): INodeProperties[] {
	const include: INodeProperties = {
		displayName: 'Include Tokens',
		name: 'includeTokens',
		type: 'boolean',
		default: false,
		description:
			'Whether to put the issued access and refresh tokens into the output item; off, they are replaced by "[redacted]"',
	};
	const issue = platformOp('connection', 'issueToken');
	const create = platformOp('connection', 'create');
	return [
		forOperation(issue, TOKEN_NOTICE),
		forOperation(create, TOKEN_NOTICE),
		forOperation(issue, include),
		forOperation(create, include),
		forOperation(issue, {
			displayName: 'Expires In (Seconds)',
			name: 'expiresIn',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Lifetime of the token in seconds, 0 for Makini’s default',
		}),
	];
}

function metadataProperties(): INodeProperties[] {
	const op = platformOp('connection', 'setMetadata');
	return [
		forOperation(op, {
			...rowsProperty({
				displayName: 'Metadata',
				name: 'metadata',
				placeholder: 'Add Metadata',
				description: 'Key/value pairs stored on the connection',
				row: 'entries',
				rowDisplayName: 'Entry',
				values: pairValues('key'),
			}),
			required: true,
		}),
	];
}

export function platformProperties(): INodeProperties[] {
	return [...passthroughProperties(), ...metadataProperties(), ...tokenProperties()];
}
