/**
 * `--help` on every command: usage on stdout, exit 0, whatever else is missing.
 */
import * as assert from "assert";
import { runScript } from "../support/runScript";

const COMMANDS: [string, string][] = [
  ["preview", "offline/preview.ts"],
  ["policy", "offline/enforce.ts"],
  ["tracker-config", "commands/tracker-config.ts"],
  ["verify", "commands/verify.ts"],
  ["logs", "commands/logs.ts"],
];

describe("--help on every command", function () {
  this.timeout(60000);
  for (const [name, script] of COMMANDS) {
    it(`npm run ${name} -- --help: usage, exit 0`, async () => {
      const { status, stdout, stderr } = await runScript(script, ["--help"]);
      assert.strictEqual(status, 0, stderr);
      assert.match(stdout, new RegExp(`^usage: npm run ${name} -- `));
      assert.strictEqual(stderr, "");
    });
  }
});
