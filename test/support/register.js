// The specs' TypeScript loader: ts-node transpiling with swc, as the npm scripts do (`ts-node
// --swc`). Type-checking is `npm run typecheck`'s job. Not in tsconfig.json's "ts-node" section:
// the Pulumi CLI reads that too, and swc would switch off its type-check of the program.
require("ts-node").register({ swc: true });
