/**
 * A family node's parameters, built from the operation registry: every parameter is built
 * for the operations of all systems (see ./scope), then each family node keeps those shown
 * for its family or the platform and drops the `system` condition, which its Resource
 * picker now decides.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { connectionProperties } from '../../shared/descriptions/connection';
import type { MakiniFamily } from '../../shared/registry/families';
import { authenticationProperty } from './credentials';
import { bodyProperties } from './body';
import { listProperties } from './list';
import { getSimplifyProperties } from './simplify';
import { platformProperties } from './platform';
import { pathProperties } from './record';
import { mergeScopes } from './scope';
import { operationProperties, resourceProperty, systemProperty } from './selectors';
import { statusProperties } from './status';

export { credentials } from './credentials';

let allSystems: INodeProperties[] | undefined;

/** The parameters below Operation, for every system (built once, shared by the three nodes). */
function operationParameters(): INodeProperties[] {
	allSystems ??= mergeScopes([
		...pathProperties(),
		...getSimplifyProperties(),
		...statusProperties(),
		...bodyProperties(),
		...listProperties(),
		...platformProperties(),
	]);
	return allSystems;
}

type Show = NonNullable<IDisplayOptions['show']>;

/** The property as the family node shows it, or undefined when it shows for no operation of the family. */
function forFamily(property: INodeProperties, family: MakiniFamily): INodeProperties | undefined {
	const show = property.displayOptions?.show;
	const systems = show?.system as string[] | undefined;
	if (!show || !systems) return property;
	if (!systems.includes(family) && !systems.includes('platform')) return undefined;
	const rest: Show = { ...show };
	delete rest.system;
	return { ...property, displayOptions: { ...property.displayOptions, show: rest } };
}

export function familyProperties(family: MakiniFamily): INodeProperties[] {
	return [
		authenticationProperty(),
		...connectionProperties(),
		systemProperty(family),
		resourceProperty(family),
		...operationProperties(family),
		...operationParameters().flatMap((property) => forFamily(property, family) ?? []),
	];
}
