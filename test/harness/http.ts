/**
 * n8n's HTTP helpers as n8n-core implements them, for tests: real HTTP through axios,
 * credentials applied by the credential class's own `authenticate` and
 * `preAuthentication`, a 401 refreshing an expirable credential once, and failures
 * thrown as NodeApiError wrapping the Axios error, exactly the shape nodes see in n8n.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { NodeApiError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import { MakiniApi } from '../../credentials/MakiniApi.credentials';
import { MakiniSystemApi } from '../../credentials/MakiniSystemApi.credentials';

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	makiniApi: new MakiniApi(),
	makiniSystemApi: new MakiniSystemApi(),
};

/** Credentials by type, as n8n would decrypt them. Mutated by preAuthentication, as n8n saves them. */
export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

export interface HttpLogEntry {
	method: string;
	url: string;
	status?: number;
	headers: Record<string, string>;
}

/** Evaluates the `={{ ... }}` and `=text {{ ... }}` expressions credentials use. */
export function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const template = value.slice(1);
	const evaluate = (code: string) =>
		new Function('$credentials', `return (${code});`)(credentials) as unknown;
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
	if (whole) return evaluate(whole[1]);
	return template.replace(/\{\{([\s\S]*?)\}\}/g, (_m, code: string) => String(evaluate(code)));
}

function toAxiosConfig(options: IHttpRequestOptions): AxiosRequestConfig {
	const config: AxiosRequestConfig = {
		method: options.method ?? 'GET',
		url: options.url,
		baseURL: options.baseURL,
		headers: { ...(options.headers as Record<string, string>) },
		params: options.qs,
		data: options.body,
		// n8n sets axios's default timeout to 300 s (backend-network's axios config): the same here.
		timeout: options.timeout ?? 300_000,
		maxRedirects: options.disableFollowRedirect ? 0 : 21,
		// n8n asks axios for text and parses JSON itself when `json` is set.
		responseType: options.encoding === 'arraybuffer' ? 'arraybuffer' : 'text',
		transformResponse: [(data: unknown) => data],
		validateStatus: () => true,
	};
	return config;
}

function parseResponseBody(data: unknown, headers: Record<string, string>, json?: boolean): unknown {
	if (typeof data !== 'string') return data;
	if (json || (headers['content-type'] ?? '').includes('application/json')) {
		try {
			return data === '' ? '' : JSON.parse(data);
		} catch {
			return data;
		}
	}
	return data;
}

export class HttpHarness {
	readonly log: HttpLogEntry[] = [];

	constructor(
		private readonly credentials: CredentialStore,
		private readonly node: () => INode,
	) {}

	/** `helpers.httpRequest` */
	async httpRequest(options: IHttpRequestOptions): Promise<unknown> {
		const config = toAxiosConfig(options);
		const entry: HttpLogEntry = {
			method: String(config.method).toUpperCase(),
			url: new URL(config.url ?? '', config.baseURL).toString(),
			headers: { ...(config.headers as Record<string, string>) },
		};
		this.log.push(entry);
		const response = await axios.request(config);
		entry.status = response.status;
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = String(value);
		const body = parseResponseBody(response.data, headers, options.json);
		const ignore = options.ignoreHttpStatusErrors === true;
		if (response.status >= 400 && !ignore) {
			const error = new axios.AxiosError(
				`Request failed with status code ${response.status}`,
				String(response.status),
				response.config,
				response.request,
				{ ...response, data: body },
			);
			throw error;
		}
		if (options.returnFullResponse) {
			return { body, headers, statusCode: response.status, statusMessage: response.statusText };
		}
		return body;
	}

	private async preAuthenticate(type: ICredentialType, data: ICredentialDataDecryptedObject, expired: boolean) {
		if (!type.preAuthentication) return;
		const expirable = type.properties.find((p) => p.typeOptions?.expirable);
		if (!expirable) return;
		if (!expired && data[expirable.name]) return;
		const update = await type.preAuthentication.call(
			{ helpers: { httpRequest: (o: IHttpRequestOptions) => this.httpRequest(o) } } as never,
			data,
		);
		if (update) Object.assign(data, update);
	}

	private authenticate(type: ICredentialType, data: ICredentialDataDecryptedObject, options: IHttpRequestOptions) {
		const auth = type.authenticate;
		if (!auth || typeof auth === 'function') return options;
		const resolve = (object: IDataObject | undefined) =>
			Object.fromEntries(
				Object.entries(object ?? {}).map(([k, v]) => [k, resolveCredentialExpression(v, data)]),
			) as IDataObject;
		return {
			...options,
			headers: { ...options.headers, ...resolve(auth.properties.headers) },
			qs: { ...options.qs, ...resolve(auth.properties.qs) },
		};
	}

	/** `helpers.httpRequestWithAuthentication` */
	async httpRequestWithAuthentication(credentialType: string, options: IHttpRequestOptions): Promise<unknown> {
		const type = CREDENTIAL_TYPES[credentialType];
		const data = this.credentials[credentialType];
		if (!type || !data) throw new Error(`Test has no credentials of type ${credentialType}`);
		try {
			await this.preAuthenticate(type, data, false);
			return await this.httpRequest(this.authenticate(type, data, options));
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			if (status === 401 && type.preAuthentication) {
				try {
					await this.preAuthenticate(type, data, true);
					return await this.httpRequest(this.authenticate(type, data, options));
				} catch (retryError) {
					throw new NodeApiError(this.node(), retryError as never);
				}
			}
			throw new NodeApiError(this.node(), error as never);
		}
	}

	/** Runs a credential's `test` request and rules the way n8n's credential test does. */
	async testCredential(credentialType: string): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const type = CREDENTIAL_TYPES[credentialType];
		const data = this.credentials[credentialType];
		const test = type.test;
		if (!test) return { status: 'Error', message: 'no test' };
		const request = test.request;
		const options: IHttpRequestOptions = {
			method: request.method ?? 'GET',
			url: String(resolveCredentialExpression(request.url, data) ?? ''),
			baseURL: String(resolveCredentialExpression(request.baseURL, data) ?? ''),
			json: true,
		};
		let body: unknown;
		try {
			await this.preAuthenticate(type, data, false);
			body = await this.httpRequest(this.authenticate(type, data, options));
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: (error as Error).message };
		}
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const value = rule.properties.key
					.split('.')
					.reduce<unknown>((o, k) => (o as IDataObject | undefined)?.[k], body);
				if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection tested successfully' };
	}
}
