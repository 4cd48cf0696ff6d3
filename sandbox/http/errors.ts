/**
 * The sandbox's one error shape, following CONTRACT.md (machine code, error type, human
 * message, request ID) with Laravel's per-field `errors` on a 422:
 *
 *   { "error": { "code": "VALIDATION_FAILED", "type": "validation_error",
 *                "message": "The title field is required.", "request_id": "req_…",
 *                "errors": { "title": ["The title field is required."] } } }
 *
 * The request ID is also sent in the `X-Request-Id` header of every response.
 */

// The server's own table, kept apart from the transport's fallback codes on purpose: the
// sandbox stands in for Makini, so the client is tested against it, not against itself.
export const ERROR_CODES = {
	400: 'INVALID_REQUEST',
	401: 'AUTHENTICATION_FAILED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	405: 'METHOD_NOT_ALLOWED',
	422: 'VALIDATION_FAILED',
	429: 'RATE_LIMIT_EXCEEDED',
	500: 'INTERNAL_ERROR',
	502: 'BAD_GATEWAY',
	503: 'SERVICE_UNAVAILABLE',
	504: 'GATEWAY_TIMEOUT',
} as const;

export type ErrorStatus = keyof typeof ERROR_CODES;
export type ErrorCode = (typeof ERROR_CODES)[ErrorStatus];

const ERROR_TYPES: Record<ErrorCode, string> = {
	INVALID_REQUEST: 'invalid_request_error',
	AUTHENTICATION_FAILED: 'authentication_error',
	PERMISSION_DENIED: 'permission_error',
	NOT_FOUND: 'not_found_error',
	METHOD_NOT_ALLOWED: 'invalid_request_error',
	VALIDATION_FAILED: 'validation_error',
	RATE_LIMIT_EXCEEDED: 'rate_limit_error',
	INTERNAL_ERROR: 'api_error',
	BAD_GATEWAY: 'api_error',
	SERVICE_UNAVAILABLE: 'api_error',
	GATEWAY_TIMEOUT: 'api_error',
};

const DEFAULT_MESSAGES: Record<ErrorStatus, string> = {
	400: 'The request is invalid.',
	401: 'Unauthenticated: the bearer token is missing, invalid or revoked.',
	403: 'This token does not have permission for this resource.',
	404: 'The requested resource was not found.',
	405: 'The method is not supported for this route.',
	422: 'The given data was invalid.',
	429: 'Too many requests: the rate limit for this token was exceeded.',
	500: 'An internal error occurred. Please retry later.',
	502: 'The connected system answered with an invalid response.',
	503: 'The service is temporarily unavailable. Please retry later.',
	504: 'The connected system did not answer in time.',
};

export class ApiError extends Error {
	constructor(
		readonly status: ErrorStatus,
		message?: string,
		readonly fields?: Record<string, string[]>,
		readonly headers: Record<string, string> = {},
	) {
		super(message ?? DEFAULT_MESSAGES[status]);
	}

	get code(): ErrorCode {
		return ERROR_CODES[this.status];
	}
}

export function errorBody(error: ApiError, requestId: string): Record<string, unknown> {
	const inner: Record<string, unknown> = {
		code: error.code,
		type: ERROR_TYPES[error.code],
		message: error.message,
		request_id: requestId,
	};
	if (error.fields) inner.errors = error.fields;
	return { error: inner };
}

/** A 422 from per-field messages, with Laravel's summary message. */
export function validationError(fields: Record<string, string[]>): ApiError {
	const messages = Object.values(fields).flat();
	const more = messages.length - 1;
	const summary = more > 0 ? `${messages[0]} (and ${more} more error${more > 1 ? 's' : ''})` : messages[0];
	return new ApiError(422, summary, fields);
}

export function isErrorStatus(status: number): status is ErrorStatus {
	return status in ERROR_CODES;
}
