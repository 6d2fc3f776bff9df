// Types for packTypeCheckCache.js, which is plain JavaScript: it is preloaded into the pack's
// process before ts-node exists there.

/**
 * The record of `packDir`'s last passed type-check (in node_modules/.cache/pack-type-check),
 * whether it exists or not.
 */
export function recordPath(packDir: string): string;

/**
 * Wraps ts-node's `register`, as the runner at `runnerPath` finds ts-node; returns what writes
 * the record once the pack has run, or undefined when that ts-node is not there.
 */
export function install(runnerPath: string): (() => void) | undefined;
