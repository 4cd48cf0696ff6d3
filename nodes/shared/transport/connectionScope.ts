/**
 * A context bound to one connection: every connection request made with it (records,
 * /api/integrations/current, ...) carries that connection's token, obtained through the
 * System API (connectionToken.ts). The polling triggers watch several connections with
 * one System API credential and run their unchanged reading code once per connection
 * with such a context; System API calls made with it stay System API calls.
 */
import type { ConnectionRef } from './connectionToken';

const SCOPE = Symbol('makiniConnection');

type Scoped = { [SCOPE]?: ConnectionRef };

/** The same context (its prototype), with every connection request sent to `connection`. */
export function scopedToConnection<T extends object>(ctx: T, connection: ConnectionRef): T {
	const scoped = Object.create(ctx) as T & Scoped;
	Object.defineProperty(scoped, SCOPE, { value: { ...connection }, enumerable: false });
	return scoped;
}

/** The connection a context is bound to, if any. */
export function connectionScopeOf(ctx: object): ConnectionRef | undefined {
	return (ctx as Scoped)[SCOPE];
}
