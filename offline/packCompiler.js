// The module ts-node loads as its compiler in the policy pack's process when it type-checks:
// TypeScript, with the language service packTypeCheckCache.js chose (the real one, kept for the
// record of the check, or one that answers from that record), put here before ts-node asks.
module.exports = global[Symbol.for("collector.packTypeCheck.compiler")];
