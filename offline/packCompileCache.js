// Preloaded into the policy pack's process (offline/packProcess.ts). ts-node type-checks the pack
// with TypeScript's compiler, 9 MB of JavaScript that V8 would otherwise compile afresh at every
// start (about 0.3 s of the pack's 2 s): V8's compile cache keeps it compiled in
// node_modules/.cache, beside the project's other caches. What the pack checks does not change.
// The pack is stopped with SIGTERM, which ends Node before it writes the cache at exit, so the
// cache is written then.
const { enableCompileCache, flushCompileCache } = require("node:module");
const path = require("node:path");

enableCompileCache(path.join(__dirname, "..", "node_modules", ".cache", "node-compile-cache"));
process.once("SIGTERM", () => {
  flushCompileCache();
  process.exit(128 + 15);
});
