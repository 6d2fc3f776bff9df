/**
 * A negative count is the project's own error, however it is written: Node's parser would
 * otherwise read `--retries -1` as two flags ("argument is ambiguous").
 */
import * as assert from "assert";
import { main } from "../../commands/verify";
import { runMain } from "../support/runMain";

describe("npm run verify -- --retries -1", function () {
  this.timeout(60000);
  for (const args of [["--retries", "-1"], ["--retries=-1"]]) {
    it(`${args.join(" ")}: exit 2, the allowed range`, async () => {
      const { status, stderr } = await runMain(main, ["--url", "c.example.com", ...args]);
      assert.strictEqual(status, 2);
      assert.strictEqual(stderr, 'error: --retries "-1" is not allowed: use a whole number from 0 to 10.\n');
    });
  }
});
