import { AsyncLocalStorage } from 'node:async_hooks';

/** A cached result a response was made from: the store's key and the entry object it held. */
export interface Dependency {
  readonly key: string;
  readonly entry: { readonly fetchedAt: number };
  /**
   * Starts the background refresh a stale read of this entry starts (stale-while-revalidate), in
   * the caller's context, so that the client who reads stale data pays for its refresh.
   */
  readonly refreshInBackground: () => void;
}

/**
 * What the edge cache must know of a request that went through the whole pipeline, gathered
 * while it runs: which cached results its answer was made from (the answer stays valid at the
 * edge exactly as long as all of them are the store's current, fresh entries), what must happen
 * again on every answer served from the edge, and whether its answer may be kept there at all.
 */
export class RequestRecord {
  readonly dependencies: Dependency[] = [];
  readonly onEveryServe: (() => void)[] = [];
  /** Set when the answer was made from something no dependency stands for (a database read). */
  offTheEdge = false;
  /** What else must still hold for the answer to be the one the route would give (the day, say). */
  readonly conditions: (() => boolean)[] = [];
}

const records = new AsyncLocalStorage<RequestRecord>();

/** Runs `next` (the rest of a cached route's handling) with a record of its own. */
export function recordRequest(record: RequestRecord, next: () => void): void {
  records.run(record, next);
}

/** Called by the result cache for every result it hands out in this request. */
export function recordDependency(dependency: Dependency): void {
  records.getStore()?.dependencies.push(dependency);
}

/**
 * `effect` runs now, and again whenever the edge answers this request's URL from memory: the
 * work a hit must still do (an account viewed is worth watching), which the services that
 * answered the first request know and the edge does not.
 */
export function onEveryServe(effect: () => void): void {
  effect();
  records.getStore()?.onEveryServe.push(effect);
}

/**
 * The answer may be served from the edge only while `condition` holds, checked on every hit: for
 * an answer that depends on more than its cached results (the day it ends on, say).
 */
export function keepAtTheEdgeWhile(condition: () => boolean): void {
  records.getStore()?.conditions.push(condition);
}

/** This request's answer is not made from cached results alone: it must not be kept at the edge. */
export function keepOffTheEdge(): void {
  const record = records.getStore();
  if (record) {
    record.offTheEdge = true;
  }
}
