/**
 * Deployed stacks changed the ways a deployer changes them: each `up` (and `destroy`) replayed
 * from the account and stack the previous one left, and what AWS would answer. These replace the
 * hand-derived step orders of the logging switch: the replay derives the engine's steps itself.
 */
import * as assert from "assert";
import { Deployed, EMPTY, ReplayResult, replayDestroy, replayUp } from "../../offline/replay";
import { LOG_DELIVERY_CANONICAL_USER_ID } from "../../offline/standIns";
import { runStack } from "../harness";
import { refusalsOf } from "./harness";

type Change = Record<string, string> | "destroy";

/** Replays `changes` one after the other on `stack`, from a new account. */
async function sequence(stack: string, changes: Change[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  let from: Deployed = EMPTY;
  for (const change of changes) {
    const result = change === "destroy" ? replayDestroy(from) : replayUp(await runStack(stack, change), from);
    results.push(result);
    from = result.after;
  }
  return results;
}

const urnEnds = (name: string) => (urn: string) => urn.endsWith(`::${name}`);

function logBucket(d: Deployed) {
  const urn = Object.keys(d.account.buckets).find(urnEnds("collector-logs"));
  return urn === undefined ? undefined : d.account.buckets[urn];
}

function stepOf(result: ReplayResult, name: string) {
  return result.steps.find((s) => s.step.name === name);
}

const grantsCloudFront = (d: Deployed) =>
  logBucket(d)?.grants.some((g) => g.grantee === LOG_DELIVERY_CANONICAL_USER_ID) ?? false;

const LEGACY = { loggingMode: "legacy" };
const MIGRATE = { migrateLegacyLogBucket: "true" };
const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012";

describe("replay: changes to a deployed stack, as AWS would answer them", () => {
  describe("prod deployed in legacy mode, then switched to v2", () => {
    it("without migrateLegacyLogBucket: S3 refuses to disable ACLs; v2 logs already flow, nothing is lost", async () => {
      const [legacy, v2] = await sequence("prod", [LEGACY, {}]);
      assert.deepStrictEqual(refusalsOf(legacy), []);
      assert.ok(grantsCloudFront(legacy.after), "CloudFront's grant is on the legacy bucket");
      assert.deepStrictEqual(refusalsOf(v2), [
        "collector-logs-ownership: InvalidBucketAclWithObjectOwnership (earliest, latest)",
      ]);
      // The delivery does not wait for the ownership change, so v2 logging is in place.
      assert.strictEqual(stepOf(v2, "collector-access-logs-delivery")?.outcome, "done");
      const bucket = logBucket(v2.after);
      assert.strictEqual(bucket?.ownership, "BucketOwnerPreferred", "ACLs stay on");
      assert.ok(
        bucket?.objects.some((k) => k.startsWith("v2-log-of")),
        "v2 logs arrive",
      );
      assert.ok(
        bucket?.objects.some((k) => k.startsWith("legacy-log-of")),
        "legacy logs are kept",
      );
      assert.strictEqual(
        stepOf(v2, "collector-logs-acl")?.reason,
        "the update stopped before its delete phase",
      );
    });

    it("then the same up with migrateLegacyLogBucket: the grant goes, then ACLs are disabled", async () => {
      const [, refused, migrated] = await sequence("prod", [LEGACY, {}, MIGRATE]);
      assert.strictEqual(refused.accepted, false);
      assert.deepStrictEqual(refusalsOf(migrated), []);
      assert.deepStrictEqual(
        migrated.steps.map((s) => `${s.step.op} ${s.step.name}`),
        ["update collector-logs-acl", "update collector-logs-ownership"],
      );
      assert.strictEqual(logBucket(migrated.after)?.ownership, "BucketOwnerEnforced");
      assert.ok(!grantsCloudFront(migrated.after));
    });

    it("with migrateLegacyLogBucket in the first v2 up: one up, v2 delivering before CloudFront's grant goes", async () => {
      const [, switched] = await sequence("prod", [LEGACY, MIGRATE]);
      assert.deepStrictEqual(refusalsOf(switched), []);
      const delivery = stepOf(switched, "collector-access-logs-delivery");
      const acl = stepOf(switched, "collector-logs-acl");
      const ownership = stepOf(switched, "collector-logs-ownership");
      assert.strictEqual(acl?.step.op, "update", "the same ACL resource, reset to owner-only");
      assert.ok(
        delivery && acl?.step.ancestors.has(delivery.step.index),
        "the ACL reset waits for the delivery",
      );
      assert.ok(acl && ownership?.step.ancestors.has(acl.step.index), "ACLs are disabled after the reset");
      assert.strictEqual(logBucket(switched.after)?.ownership, "BucketOwnerEnforced");
      assert.ok(!grantsCloudFront(switched.after));
      assert.deepStrictEqual(
        Object.values(switched.after.account.distributions).map((d) => d.loggingBucket),
        [undefined],
        "legacy logging is off",
      );
    });

    it("and back to legacy: ACLs are enabled before the ACL grants CloudFront, v2's delivery deleted last", async () => {
      const [, , back] = await sequence("prod", [LEGACY, MIGRATE, LEGACY]);
      assert.deepStrictEqual(refusalsOf(back), []);
      const deleted = back.steps
        .filter((s) => s.step.op === "delete")
        .map((s) => s.step.type.split(":").pop());
      assert.deepStrictEqual(deleted.sort(), ["LogDelivery", "LogDeliveryDestination", "LogDeliverySource"]);
      assert.strictEqual(logBucket(back.after)?.ownership, "BucketOwnerPreferred");
      assert.ok(grantsCloudFront(back.after));
    });
  });

  it("prod deployed in v2, then switched to legacy, is accepted", async () => {
    const [, legacy] = await sequence("prod", [{}, LEGACY]);
    assert.deepStrictEqual(refusalsOf(legacy), []);
    assert.ok(grantsCloudFront(legacy.after));
  });

  it("logging switched off and on again, in prod (v2) and in dev (legacy)", async () => {
    const off = { loggingEnabled: "false", analyticsEnabled: "false" };
    for (const result of await sequence("prod", [{}, off, {}]))
      assert.deepStrictEqual(refusalsOf(result), []);
    for (const result of await sequence("dev", [{}, { loggingEnabled: "true" }, {}])) {
      assert.deepStrictEqual(refusalsOf(result), []);
    }
  });

  it("analytics switched off and on again", async () => {
    const [, off, on] = await sequence("prod", [{}, { analyticsEnabled: "false" }, {}]);
    assert.deepStrictEqual([refusalsOf(off), refusalsOf(on)], [[], []]);
    assert.ok(off.steps.some((s) => s.step.op === "delete" && s.step.name === "collector-query-results"));
    assert.strictEqual(Object.keys(on.after.account.buckets).length, 3);
  });

  it("CORS from * to a site list (with credentials) and back", async () => {
    const sites = { corsAllowedOrigins: '["https://www.example.com"]' };
    const [, toSites, back] = await sequence("prod", [{}, sites, {}]);
    for (const r of [toSites, back]) {
      assert.deepStrictEqual(refusalsOf(r), []);
      assert.deepStrictEqual(
        r.steps.map((s) => `${s.step.op} ${s.step.name}`),
        ["update collector-pixel-cors"],
      );
    }
  });

  it("custom domain switched on (certificateArn + customDomain): the distribution is updated", async () => {
    const [, domain] = await sequence("prod", [{}, { customDomain: "c.example.com", certificateArn: CERT }]);
    assert.deepStrictEqual(refusalsOf(domain), []);
    assert.deepStrictEqual(
      domain.steps.map((s) => `${s.step.op} ${s.step.name}`),
      ["update collector-cdn"],
    );
  });

  it("protectLogBucket switched off on prod: the next destroy takes everything, logs included", async () => {
    const [, unprotected, destroyed] = await sequence("prod", [{}, { protectLogBucket: "false" }, "destroy"]);
    assert.deepStrictEqual(refusalsOf(unprotected), []);
    assert.deepStrictEqual(refusalsOf(destroyed), []);
    assert.deepStrictEqual(destroyed.after.account.buckets, {});
  });

  it("protectLogBucket switched on on dev: the destroy keeps the log bucket", async () => {
    const [, , destroyed] = await sequence("dev", [{}, { protectLogBucket: "true" }, "destroy"]);
    assert.ok(destroyed.refusals.length > 0 && destroyed.refusals.every((r) => r.code === "protected"));
    assert.ok(logBucket(destroyed.after), "the log bucket is still there");
  });

  it("destroy of dev: everything goes", async () => {
    const [, destroyed] = await sequence("dev", [{}, "destroy"]);
    assert.deepStrictEqual(refusalsOf(destroyed), []);
    const { account, resources } = destroyed.after;
    assert.deepStrictEqual(
      [account.buckets, account.distributions, account.others, resources],
      [{}, {}, {}, []],
    );
  });

  it("destroy of prod: refused for the protected log bucket, whose logs stay; the rest goes", async () => {
    const [, destroyed] = await sequence("prod", [{}, "destroy"]);
    assert.strictEqual(destroyed.accepted, false);
    assert.ok(destroyed.refusals.length > 0 && destroyed.refusals.every((r) => r.code === "protected"));
    assert.ok(destroyed.refusals.every((r) => r.name.startsWith("collector-logs")));
    const bucket = logBucket(destroyed.after);
    assert.ok(
      bucket?.objects.some((k) => k.startsWith("v2-log-of")),
      "the logs are kept",
    );
    assert.deepStrictEqual(Object.keys(destroyed.after.account.distributions), []);
    assert.strictEqual(Object.keys(destroyed.after.account.buckets).length, 1, "only the log bucket");
  });
});
