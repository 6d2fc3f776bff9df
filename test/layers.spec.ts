import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../offline/paths";

/** Relative imports of every .ts file under `dir`, as project-relative top-level folders. */
function importedFolders(dir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(full);
      else if (entry.name.endsWith(".ts")) {
        const text = fs.readFileSync(full, "utf8");
        const targets = new Set<string>();
        for (const m of text.matchAll(/(?:from|require\(|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
          const resolved = path.relative(PROJECT_DIR, path.resolve(path.dirname(full), m[1]));
          targets.add(resolved.split(path.sep)[0]);
        }
        out.set(path.relative(PROJECT_DIR, full), targets);
      }
    }
  };
  walk(path.join(PROJECT_DIR, dir));
  return out;
}

describe("module layers", () => {
  const rules: [string, string[]][] = [
    ["collector", ["commands", "logs", "offline", "policy"]],
    ["policy", ["collector", "index.ts", "logs", "commands", "offline"]],
  ];
  for (const [layer, forbidden] of rules) {
    it(`${layer}/ imports none of ${forbidden.join(", ")}`, () => {
      const bad: string[] = [];
      for (const [file, targets] of importedFolders(layer)) {
        for (const t of targets) if (forbidden.includes(t)) bad.push(`${file} -> ${t}`);
      }
      assert.deepStrictEqual(bad, []);
    });
  }
});
