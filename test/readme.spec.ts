/**
 * The README quotes the per-stack policy configs, lists every config key and names files and
 * folders of the repository: keep it true.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../collector/config/stackConfig";
import { defaultPolicyConfig, PROJECT_DIR } from "../offline/paths";

const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

/**
 * Every path a README names that starts in one of the repository's folders (relative to the
 * README's own folder), in prose, code and links alike; a trailing sentence dot is not part of it.
 */
function namedPaths(text: string, baseDir: string): string[] {
  const folders = fs
    .readdirSync(baseDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "node_modules" && e.name !== ".git")
    .map((e) => e.name.replace(/[.]/g, "\\."));
  const pattern = new RegExp(`(?<![\\w./<>:-])((?:${folders.join("|")})/[\\w./-]*)`, "g");
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1].replace(/\.+$/, "")))];
}

describe("the README", () => {
  for (const stack of ["dev", "prod"]) {
    it(`quotes policy/config/${stack}.json as it is`, () => {
      const file = JSON.parse(fs.readFileSync(defaultPolicyConfig(stack), "utf8"));
      const quoted = readme.split(`\`policy/config/${stack}.json\``)[1]?.match(/```json\n([\s\S]*?)```/)?.[1];
      assert.ok(quoted, `README quotes policy/config/${stack}.json`);
      assert.deepStrictEqual(JSON.parse(quoted), file);
    });
  }

  it("documents every config key", () => {
    // A list item per key (`- \`key\` (default ...): meaning`), or a table row.
    for (const key of CONFIG_KEYS) assert.match(readme, new RegExp(`^(- |\\| )\`${key}\` `, "m"), key);
  });

  for (const file of ["README.md", "policy/README.md"]) {
    it(`fits a terminal: every line of ${file} is at most 100 characters`, () => {
      const lines = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n");
      const long = lines
        .map((line, i) => ({ line: i + 1, length: [...line].length }))
        .filter(({ length }) => length > 100);
      assert.deepStrictEqual(long, [], `${file}: wrap prose, narrow tables or turn them into lists`);
    });
  }

  for (const [readmePath, label] of [
    ["README.md", "README.md"],
    ["policy/README.md", "policy/README.md"],
  ]) {
    it(`names only files and folders that exist (${label})`, () => {
      const file = path.join(PROJECT_DIR, readmePath);
      const base = path.dirname(file);
      const named = namedPaths(fs.readFileSync(file, "utf8"), base);
      assert.ok(named.length > 0, "the pattern finds the paths it should check");
      const missing = named.filter((p) => !fs.existsSync(path.join(base, p)));
      assert.deepStrictEqual(missing, [], `${label} names paths that do not exist`);
    });
  }
});
