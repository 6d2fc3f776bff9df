/**
 * `--help` on every command: usage on stdout, exit 0, whatever else is missing.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/paths";
import { npmRun } from "../support/npmRun";
import { CommandMain, runMain } from "../support/runMain";

// Every `npm run` script that starts a command file, so a command added later is covered too.
const COMMANDS: [string, string][] = Object.entries(
  (
    JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts,
)
  .map(([name, script]) => [name, /^ts-node --swc ((?:offline|commands)\/\S+\.ts)$/.exec(script)?.[1]])
  .filter((entry): entry is [string, string] => entry[1] !== undefined);

describe("--help on every command", function () {
  this.timeout(60000);
  it("covers every command of package.json (every ts-node script but the benchmarks)", () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const tsNode = Object.keys(scripts).filter((name) => /^ts-node /.test(scripts[name]) && name !== "bench");
    assert.ok(tsNode.length > 0);
    assert.deepStrictEqual(COMMANDS.map(([name]) => name).sort(), tsNode.sort());
  });
  // Each command's main, in-process: the file the script names, and what it prints.
  for (const [name, script] of COMMANDS) {
    it(`npm run ${name} -- --help: usage, exit 0`, async () => {
      const { main } = (await import(path.join(PROJECT_DIR, script))) as { main: CommandMain };
      const { status, stdout, stderr } = await runMain(main, ["--help"]);
      assert.strictEqual(status, 0, stderr);
      assert.match(stdout, new RegExp(`^usage: npm run ${name} -- `));
      assert.strictEqual(stderr, "");
    });
  }
  // And one through npm itself: the script line, ts-node and the process's exit code.
  it("npm run policy -- --help, through npm: usage, exit 0", async () => {
    const { status, stdout, stderr } = await npmRun(["policy", "--", "--help"]);
    assert.strictEqual(status, 0, stderr);
    assert.match(stdout, /^usage: npm run policy -- /);
    assert.strictEqual(stderr, "");
  });
});
