/**
 * An unknown option, on every command: exit 2, the option named with the nearest declared one,
 * the options allowed, and none of the advice Node's parser gives for `node`'s own command line
 * ("place it at the end of the command after '--'"), which npm run has already used up.
 */
import * as assert from "assert";
import { main as logs } from "../../commands/logs";
import { main as query } from "../../commands/query";
import { main as trackerConfig } from "../../commands/tracker-config";
import { main as verify } from "../../commands/verify";
import { parseStackCommand } from "../../offline/cliArgs";
import { captureOutput } from "../support/captureOutput";

const COMMANDS = { logs, query, "tracker-config": trackerConfig, verify };

describe("an unknown option", () => {
  for (const [name, main] of Object.entries(COMMANDS)) {
    it(`npm run ${name} -- --jsno: named, with the nearest option and the allowed ones, exit 2`, async () => {
      const output = captureOutput();
      assert.strictEqual(await main(["--jsno"], output), 2);
      const text = output.stderr.join("\n");
      assert.match(text, new RegExp(`^error: ${name}: unknown option --jsno`));
      assert.match(text, /Allowed options: --/);
      assert.doesNotMatch(text, /after '--'|positional argument starting with/);
    });
  }

  it("suggests the option meant, where one is near", async () => {
    const output = captureOutput();
    assert.strictEqual(await logs(["--event-di", "x", "./logs"], output), 2);
    assert.match(output.stderr[0], /unknown option --event-di \(did you mean --event-id\?\)/);
  });

  for (const command of ["preview", "policy"]) {
    it(`npm run ${command} -- --stak prod: named, with the nearest option, and the usage`, () => {
      assert.throws(
        () => parseStackCommand(["--stak", "prod"], command, {}),
        (error: Error) =>
          /^unknown option --stak \(did you mean --stack\?\)\nusage: npm run /.test(error.message) &&
          !/after '--'/.test(error.message),
      );
    });
  }
});
