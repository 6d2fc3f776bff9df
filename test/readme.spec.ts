/**
 * README.md and the pages of docs/ quote the per-stack policy configs, list every config key and
 * output, name files and folders of the repository and link to each other: keep them true.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../collector/config/stackConfig";
import { defaultPolicyConfig, PROJECT_DIR } from "../offline/paths";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const DOCS = fs
  .readdirSync(path.join(PROJECT_DIR, "docs"))
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => `docs/${name}`);
/** Every page a reader may open, with the folder its bare paths are relative to. */
const PAGES: [file: string, pathBase: string][] = [
  ["README.md", "."],
  ["policy/README.md", "policy"],
  ...DOCS.map((file): [string, string] => [file, "."]),
];
const readme = read("README.md");

/**
 * Every path a page names that starts in one of the repository's folders (relative to baseDir),
 * in prose, code and links alike; a trailing sentence dot is not part of it.
 */
function namedPaths(text: string, baseDir: string): string[] {
  const folders = fs
    .readdirSync(baseDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "node_modules" && e.name !== ".git")
    .map((e) => e.name.replace(/[.]/g, "\\."));
  const pattern = new RegExp(`(?<![\\w./<>:-])((?:${folders.join("|")})/[\\w./-]*)`, "g");
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1].replace(/\.+$/, "")))];
}

/** Relative Markdown link targets (`[text](target)`), outside code blocks. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target));
}

/** GitHub's heading anchors: lower case, punctuation dropped but for hyphens, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set(
    [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

/** The lines of a `## heading` section, up to the next heading of that level. */
function section(text: string, heading: string): string {
  return text.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
}

describe("the README and docs/", () => {
  it("docs/ has the pages the README promises, each linked from the README", () => {
    assert.ok(DOCS.length >= 9, `docs/ holds ${DOCS.length} pages`);
    const linked = new Set(relativeLinks(readme).map((t) => t.split("#")[0]));
    const unlinked = DOCS.filter((file) => !linked.has(file));
    assert.deepStrictEqual(unlinked, [], "link each page of docs/ from README.md's map of the docs");
  });

  it("README.md stays short: at most 200 lines", () => {
    const lines = readme.trimEnd().split("\n").length;
    assert.ok(lines <= 200, `README.md has ${lines} lines: move the detail to a page of docs/`);
  });

  it("each page of docs/ starts with its title and what a reader comes for", () => {
    for (const file of DOCS) {
      const [title, blank, first] = read(file).split("\n");
      assert.match(title, /^# \S/, `${file}: a "# " title first`);
      assert.strictEqual(blank, "", file);
      assert.match(first, /^What you come here for: /, `${file}: say what a reader comes for first`);
    }
  });

  for (const stack of ["dev", "prod"]) {
    it(`docs/policy-pack.md quotes policy/config/${stack}.json as it is`, () => {
      const file = JSON.parse(fs.readFileSync(defaultPolicyConfig(stack), "utf8"));
      const quoted = read("docs/policy-pack.md")
        .split(`\`policy/config/${stack}.json\``)[1]
        ?.match(/```json\n([\s\S]*?)```/)?.[1];
      assert.ok(quoted, `docs/policy-pack.md quotes policy/config/${stack}.json`);
      assert.deepStrictEqual(JSON.parse(quoted), file);
    });
  }

  it("docs/configuration.md documents every config key", () => {
    // A list item per key (`- \`key\` (default ...): meaning`), or a table row.
    const text = section(read("docs/configuration.md"), "Config keys");
    for (const key of CONFIG_KEYS) assert.match(text, new RegExp(`^(- |\\| )\`${key}\` `, "m"), key);
  });

  it("docs/configuration.md documents every output of the prod outputs example", () => {
    const example = JSON.parse(read("test/commands/fixtures/outputs-prod.json")) as object;
    const text = section(read("docs/configuration.md"), "Outputs");
    const items = [...text.matchAll(/^- (.*?):/gm)].map((m) => m[1]);
    const documented = new Set(items.flatMap((item) => [...item.matchAll(/`(\w+)`/g)].map((m) => m[1])));
    const missing = Object.keys(example).filter((key) => !documented.has(key));
    assert.ok(documented.size > 0, "the pattern finds the documented outputs");
    assert.deepStrictEqual(missing, [], "outputs exported but not documented");
  });

  for (const [file, base] of PAGES) {
    it(`fits a terminal: every line of ${file} is at most 100 characters`, () => {
      const lines = read(file).split("\n");
      const long = lines
        .map((line, i) => ({ line: i + 1, length: [...line].length }))
        .filter(({ length }) => length > 100);
      assert.deepStrictEqual(long, [], `${file}: wrap prose, narrow tables or turn them into lists`);
    });

    it(`names only files and folders that exist (${file})`, () => {
      const baseDir = path.join(PROJECT_DIR, base);
      const named = namedPaths(read(file), baseDir);
      if (file.endsWith("README.md"))
        assert.ok(named.length > 0, "the pattern finds the paths it should check");
      const missing = named.filter((p) => !fs.existsSync(path.join(baseDir, p)));
      assert.deepStrictEqual(missing, [], `${file} names paths that do not exist`);
    });

    it(`links only to files and headings that exist (${file})`, () => {
      const dir = path.dirname(path.join(PROJECT_DIR, file));
      const broken = relativeLinks(read(file)).filter((target) => {
        const [targetPath, anchor] = target.split("#");
        const resolved = targetPath === "" ? path.join(PROJECT_DIR, file) : path.join(dir, targetPath);
        if (!fs.existsSync(resolved)) return true;
        if (anchor === undefined) return false;
        return !anchors(fs.readFileSync(resolved, "utf8")).has(anchor);
      });
      assert.deepStrictEqual(broken, [], `${file}: broken links`);
    });
  }
});
