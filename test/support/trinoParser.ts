/**
 * dt-sql-parser's Trino parser (built from Trino's own ANTLR grammar), loadable under Node.
 * The package ships ES modules with extension-less relative imports, written for bundlers, which
 * Node's resolver refuses (ERR_UNSUPPORTED_DIR_IMPORT); a resolve hook completes those imports,
 * for files inside that package only, the way a bundler would.
 */
import * as fs from "fs";
import * as nodeModule from "module";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";

const PACKAGE_DIR = path.dirname(require.resolve("dt-sql-parser/package.json")) + path.sep;

let hooked = false;

function hookResolution(): void {
  if (hooked) return;
  hooked = true;
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : undefined;
      if (parent?.startsWith(PACKAGE_DIR) && specifier.startsWith(".")) {
        const base = path.resolve(path.dirname(parent), specifier);
        for (const candidate of [`${base}.js`, path.join(base, "index.js")]) {
          if (fs.existsSync(candidate)) return nextResolve(pathToFileURL(candidate).href, context);
        }
      }
      return nextResolve(specifier, context);
    },
  });
}

export interface SyntaxProblem {
  message: string;
  startLine: number;
  startColumn: number;
}

interface TrinoParser {
  validate(sql: string): SyntaxProblem[];
  /** The ANTLR parse tree of `sql`. */
  parse(sql: string): unknown;
}

let parser: TrinoParser | undefined;

function trinoParser(): TrinoParser {
  if (parser === undefined) {
    hookResolution();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TrinoSQL } = require("dt-sql-parser") as { TrinoSQL: new () => TrinoParser };
    parser = new TrinoSQL();
  }
  return parser;
}

/** Trino syntax errors in `sql`; empty when it parses. */
export function trinoSyntaxErrors(sql: string): SyntaxProblem[] {
  return trinoParser().validate(sql);
}

/** The parse tree of `sql` by Trino's grammar (check trinoSyntaxErrors first). */
export function parseTrino(sql: string): unknown {
  return trinoParser().parse(sql);
}
