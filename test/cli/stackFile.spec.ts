/**
 * A broken stack file is named with the line to look at, before anything runs: the project is
 * copied to a temp dir with a bad Pulumi.dev.yaml and previewed there (`--cwd`, as pulumi has).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/paths";
import { runPreview } from "../support/runMain";
import { ScriptResult } from "../support/runScript";
import { makeTempDir } from "../support/tempDir";

const CASES: [string, string, RegExp][] = [
  ["an empty file", "", /^error: Pulumi\.dev\.yaml:1: the file is empty or holds only comments/],
  [
    "a file of comments only",
    "# dev stack\n\n# nothing yet\n",
    /^error: Pulumi\.dev\.yaml:1: the file is empty or holds only comments; a stack file needs a `config:` map/,
  ],
  [
    "broken YAML",
    "config:\n  aws:region: eu-west-1\n  cloudfront-collector:logPrefix: [cloudfront/\n",
    /^error: Pulumi\.dev\.yaml:4:1: not valid YAML: /,
  ],
  [
    "settings without `config:`",
    "# dev\naws:region: eu-west-1\ncloudfront-collector:loggingEnabled: false\n",
    /^error: Pulumi\.dev\.yaml:2: no `config:` key \("aws:region", "cloudfront-collector:loggingEnabled" look like settings: indent them under `config:`\)/,
  ],
  [
    "`config:` holding a value, not a map",
    "# dev\n\nconfig: eu-west-1\n",
    /^error: Pulumi\.dev\.yaml:3: `config:` must be a map of KEY: VALUE lines, found the string "eu-west-1"/,
  ],
  [
    "`config:` holding a list",
    "config:\n  - aws:region: eu-west-1\n",
    /^error: Pulumi\.dev\.yaml:1: `config:` must be a map of KEY: VALUE lines, found a list/,
  ],
  [
    "a list instead of a map",
    "- config:\n    aws:region: eu-west-1\n",
    /^error: Pulumi\.dev\.yaml:1: expected a map with a `config:` key, found a list/,
  ],
];

describe("npm run preview on a broken stack file", function () {
  this.timeout(60000);
  let temp: ReturnType<typeof makeTempDir>;
  const results = new Map<string, Promise<ScriptResult>>();
  // One project copy per case, each previewed in-process with `--cwd` pointing at it.
  before(() => {
    temp = makeTempDir("stack-file");
    CASES.forEach(([what, text], i) => {
      const dir = path.join(temp.dir, String(i));
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
      results.set(what, runPreview(["--cwd", dir, "--stack", "dev"]));
    });
  });
  after(() => temp.cleanup());

  for (const [what, , pattern] of CASES) {
    it(`${what}: exit 2, the file and the line`, async () => {
      const result = results.get(what);
      assert.ok(result, what);
      const { status, stdout, stderr } = await result;
      assert.strictEqual(status, 2, stdout + stderr);
      assert.strictEqual(stdout, "", "nothing printed before the error");
      assert.match(stderr, pattern);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    });
  }
});
