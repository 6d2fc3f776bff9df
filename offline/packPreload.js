// Preloaded into the policy pack's process (offline/packProcess.ts): V8's compile cache
// (packCompileCache.js) and the record of the pack's last passed type-check
// (packTypeCheckCache.js). Both are written when the pack is stopped with SIGTERM: Node's own
// exit would not write the compile cache on a signal.
const { flushCompileCache, startCompileCache } = require("./packCompileCache");
const { install } = require("./packTypeCheckCache");

startCompileCache();
// The runner is the script Node was started on; it requires ts-node when it runs.
const writeCheckRecord = install(process.argv[1]) ?? (() => undefined);

process.once("SIGTERM", () => {
  writeCheckRecord();
  flushCompileCache();
  process.exit(128 + 15);
});
