// The module ts-node loads as its compiler in the policy pack's process when it type-checks:
// TypeScript, with its language service kept for the record of the check
// (packTypeCheckCache.js, which puts it here before ts-node asks).
module.exports = global[Symbol.for("collector.packTypeCheck.compiler")];
