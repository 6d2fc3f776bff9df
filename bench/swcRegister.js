// Preloaded into the bench's measuring children (bench/measureChild.ts): transpiles each .ts
// module with swc, nothing more. ts-node, even with --swc, loads TypeScript's compiler to read
// tsconfig.json, about 20 MiB of heap, and the heap-capped runs are meant to measure the reader's
// heap, not the toolchain's. The options follow tsconfig.json's target and module; types are
// `npm run typecheck`'s job.
const fs = require("node:fs");
const { transformSync } = require("@swc/core");

const OPTIONS = {
  module: { type: "commonjs" },
  jsc: {
    parser: { syntax: "typescript" },
    target: "es2022",
    transform: { useDefineForClassFields: true },
  },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), { ...OPTIONS, filename });
  module._compile(code, filename);
};
