/**
 * Each stack as committed, replayed as a first `pulumi up` into a new account (today's S3
 * defaults: ACLs disabled, Block Public Access on).
 */
import * as assert from "assert";
import { replayUp } from "../../offline/replay";
import { runStack } from "../harness";
import { refusalsOf } from "./harness";

describe("replay: a first up of each stack into a new account", () => {
  it("dev is accepted", async () => {
    const result = replayUp(await runStack("dev"));
    assert.deepStrictEqual(refusalsOf(result), []);
  });

  it("prod in legacy mode is accepted", async () => {
    const result = replayUp(await runStack("prod", { loggingMode: "legacy" }));
    assert.deepStrictEqual(refusalsOf(result), []);
  });

  // Issue #15: this is what AWS answers to prod's v2 plan as committed before the fix.
  it("prod (v2) is refused: its BucketAcl meets a bucket with ACLs disabled", async () => {
    const result = replayUp(await runStack("prod"));
    assert.deepStrictEqual(refusalsOf(result), [
      "collector-logs-acl: AccessControlListNotSupported (earliest, latest)",
    ]);
    assert.strictEqual(result.refusals[0].message, "The bucket does not allow ACLs");
  });
});
