/** The Filters field picker: the fields of the watched list's records, from the registry. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { recordFieldOptions } from '../../shared/descriptions/filters';
import { watchedResource } from '../resources';

export async function getFilterFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const system = this.getCurrentNodeParameter('system');
	const resource = this.getCurrentNodeParameter('resource');
	const watched = watchedResource(String(system ?? ''), String(resource ?? ''));
	return watched ? recordFieldOptions(watched.list) : [];
}
