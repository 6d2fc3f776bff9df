/**
 * Each stack as committed, replayed as a first `pulumi up` into a new account (today's S3
 * defaults: ACLs disabled, Block Public Access on).
 */
import * as assert from "assert";
import * as path from "path";
import { replayUp } from "../../offline/replay";
import { runStack } from "../harness";
import { refusalsOf } from "./harness";

const BEFORE_FIX = path.join(__dirname, "..", "mutations", "v2LogBucketAclBeforeFix.ts");

describe("replay: a first up of each stack into a new account", () => {
  it("dev is accepted", async () => {
    assert.deepStrictEqual(refusalsOf(replayUp(await runStack("dev"))), []);
  });

  it("prod is accepted, in v2 (as committed) and in legacy mode", async () => {
    assert.deepStrictEqual(refusalsOf(replayUp(await runStack("prod"))), []);
    assert.deepStrictEqual(refusalsOf(replayUp(await runStack("prod", { loggingMode: "legacy" }))), []);
  });

  // Issue #15: what AWS answered to prod's v2 plan before the fix, replayed from that program.
  it("prod's v2 log bucket as it was before the fix is refused: a BucketAcl on a bucket with ACLs disabled", async () => {
    const result = replayUp(await runStack("prod", {}, "stand-in", BEFORE_FIX));
    assert.deepStrictEqual(refusalsOf(result), [
      "collector-logs-acl: AccessControlListNotSupported (earliest, latest)",
    ]);
    assert.strictEqual(result.refusals[0].message, "The bucket does not allow ACLs");
    const ownership = result.steps.find((s) => s.step.name === "collector-logs-ownership");
    assert.deepStrictEqual(
      [ownership?.outcome, ownership?.reason],
      ["not run", "waits for collector-logs-acl"],
    );
  });

  it("prod with migrateLegacyLogBucket on a new account is refused the same way (the key is for legacy buckets)", async () => {
    const result = replayUp(await runStack("prod", { migrateLegacyLogBucket: "true" }));
    assert.deepStrictEqual(refusalsOf(result), [
      "collector-logs-acl: AccessControlListNotSupported (earliest, latest)",
    ]);
  });
});
