/** The Makini node's parameters, built from the operation registry. */
import type { INodeProperties } from 'n8n-workflow';

import { connectionProperties } from '../../shared/descriptions/connection';
import { authenticationProperty } from './credentials';
import { bodyProperties } from './body';
import { listProperties } from './list';
import { platformProperties } from './platform';
import { pathProperties } from './record';
import { mergeScopes } from './scope';
import { operationProperties, resourceProperties, systemProperty } from './selectors';
import { statusProperties } from './status';

export { credentials } from './credentials';

export function nodeProperties(): INodeProperties[] {
	return [
		authenticationProperty(),
		...connectionProperties(),
		systemProperty(),
		...resourceProperties(),
		...operationProperties(),
		...mergeScopes([
			...pathProperties(),
			...statusProperties(),
			...bodyProperties(),
			...listProperties(),
			...platformProperties(),
		]),
	];
}
