/**
 * `npm run preview`: the plan it prints for each stack, and its answer to bad input.
 */
import * as assert from "assert";
import { formatPlan } from "../offline/planText";
import { attachedTo, bucket, runStack } from "./harness";
import { runPreview } from "./support/runMain";

/** Runs the command's main as `npm run preview` does; exit code and all output. */
async function npmRunPreview(...args: string[]): Promise<{ code: number | null; output: string }> {
  const { status, stdout, stderr } = await runPreview(args);
  return { code: status, output: stdout + stderr };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

describe("npm run preview", function () {
  this.timeout(60000);

  it("shows prod: the three v2 delivery resources in us-east-1, no IP field, a Hive path, ACLs off", async () => {
    const plan = formatPlan(await runStack("prod"));
    for (const [type, name] of [
      ["logDeliverySource:LogDeliverySource", "collector-access-logs"],
      ["logDeliveryDestination:LogDeliveryDestination", "collector-log-bucket"],
      ["logDelivery:LogDelivery", "collector-access-logs-delivery"],
    ]) {
      const block = new RegExp(`\\+ aws:cloudwatch/${type} {2}${name}\\n((?: {14}.*\\n)*)`).exec(plan);
      assert.ok(block, `${name} in the plan`);
      assert.match(block[1], /^ +region: us-east-1$/m, `${name} in us-east-1`);
    }
    const recordFields = [...plan.matchAll(/^ +recordFields\[\d+\]: (.*)$/gm)].map((m) => m[1]);
    assert.ok(recordFields.includes("c-country") && recordFields.includes("cs-uri-query"));
    for (const ip of ["c-ip", "x-forwarded-for", "cs(Cookie)", "c-port"])
      assert.ok(!recordFields.includes(ip), ip);
    assert.match(plan, /s3DeliveryConfigurations\[0\]\.enableHiveCompatiblePath: true/);
    assert.match(
      plan,
      /s3DeliveryConfigurations\[0\]\.suffixPath: \{distributionid\}\/\{yyyy\}\/\{MM\}\/\{dd\}\/\{HH\}/,
    );
    assert.match(plan, /destinationResourceArn: arn:aws:s3:::<collector-logs\.bucket>\/cloudfront\/prod$/m);
    assert.match(
      plan,
      /collector-logs-ownership.*\n +bucket: .*\n +rule\.objectOwnership: BucketOwnerEnforced/,
    );
    assert.doesNotMatch(plan, /loggingConfig/);
    assert.match(plan, /^ {4}loggingMode: v2$/m);
  });

  it("shows prod in legacy mode: both buckets, the pixel, the distribution logging to the log bucket, in the EU", async () => {
    const plan = formatPlan(await runStack("prod", { loggingMode: "legacy" }));
    assert.match(plan, /^Region: eu-west-1$/m);
    assert.match(plan, /\+ aws:s3\/bucket:Bucket {2}collector-pixel$/m);
    assert.match(plan, /\+ aws:s3\/bucket:Bucket {2}collector-logs {2}\[protect, retainOnDelete\]$/m);
    assert.match(
      plan,
      /\+ aws:s3\/bucketObjectv2:BucketObjectv2 {2}collector-pixel-object\n(.*\n)*? +contentType: image\/gif/,
    );
    assert.match(plan, /loggingConfig\.bucket: <collector-logs\.bucket>\.s3\.amazonaws\.com/);
    assert.match(plan, /loggingConfig\.includeCookies: false/);
    assert.match(plan, /\(dependsOn: collector-logs-ownership, collector-logs-acl\)/);
    assert.doesNotMatch(plan, /bucketLogging/i, "no S3 access logging anywhere");
    assert.match(plan, /^ {4}pixelUrl: https:\/\/<collector-cdn\.domainName>\/i$/m);
    assert.match(plan, /stand-ins for what only AWS knows/);
  });

  it("shows prod's log bucket and every resource attached to it as [protect, retainOnDelete]", async () => {
    const run = await runStack("prod");
    const plan = formatPlan(run);
    const logs = bucket(run, "logs");
    const kept = [logs, ...attachedTo(run, logs)];
    // The bucket and its seven guards (v2: no BucketAcl, #15).
    assert.ok(kept.length >= 7, kept.map((r) => r.name).join(", "));
    for (const r of kept) {
      assert.match(
        plan,
        new RegExp(`\\+ ${escape(r.type)} {2}${r.name} {2}\\[protect, retainOnDelete\\]$`, "m"),
      );
    }
    assert.match(plan, /collector-logs-public-access .*\n(.*\n)*? +skipDestroy: true/);
    assert.doesNotMatch(plan, /collector-pixel.*\[protect/);
  });

  it("shows dev as the /dev/null pixel: no logging config on the distribution", async () => {
    const plan = formatPlan(await runStack("dev"));
    assert.doesNotMatch(plan, /loggingConfig/);
    assert.match(plan, /^ {4}loggingEnabled: false$/m);
  });

  it("stops with exit 2 and one clear message on a bad config value, an unknown stack or flag", async () => {
    const badValue = await npmRunPreview("--stack", "prod", "--config", "retentionDays=0");
    assert.strictEqual(badValue.code, 2);
    assert.match(
      badValue.output,
      /cloudfront-collector:retentionDays: 0 is not allowed; expected a whole number of days/,
    );
    const badStack = await npmRunPreview("--stack", "staging");
    assert.strictEqual(badStack.code, 2);
    assert.match(badStack.output, /unknown stack "staging"/);
    const badFlag = await npmRunPreview("--stack", "prod", "--config", "retentionDays");
    assert.strictEqual(badFlag.code, 2);
    assert.match(badFlag.output, /--config "retentionDays": expected KEY=VALUE/);
  });

  it("prints the replay's verdict beside the pack's, and exits 1 on a refusal like a mandatory violation", async () => {
    const prod = await npmRunPreview("--stack", "prod");
    assert.strictEqual(prod.code, 0, prod.output);
    assert.match(prod.output, /passed: no mandatory violations[\s\S]*Replay of a first up of stack prod/);
    assert.match(prod.output, /A first up of stack prod would be accepted \(\d+ steps\)\./);

    // Issue #15's program: the pack passes it, AWS (and the replay) refuses it.
    const beforeFix = await npmRunPreview(
      "--stack",
      "prod",
      "--program",
      "test/mutations/v2LogBucketAclBeforeFix.ts",
    );
    assert.strictEqual(beforeFix.code, 1);
    assert.match(beforeFix.output, /passed: no mandatory violations/);
    assert.match(
      beforeFix.output,
      /refused: create aws:s3\/bucketAcl:BucketAcl {2}collector-logs-acl {2}\(in any order\)/,
    );
    assert.match(beforeFix.output, /AccessControlListNotSupported: The bucket does not allow ACLs/);
    assert.match(beforeFix.output, /rule s3-acls-disabled; source: .*#34079/);
  });

  it("replays a stack with migrateLegacyLogBucket as the update of its legacy deployment", async () => {
    const migrating = await npmRunPreview("--stack", "prod", "--config", "migrateLegacyLogBucket=true");
    assert.strictEqual(migrating.code, 0, migrating.output);
    assert.match(migrating.output, /An up of stack prod from its legacy deployment would be accepted/);
  });
});
