import * as assert from "assert";
import { LOG_DELIVERY_CANONICAL_USER_ID } from "../../../offline/standIns";
import { attachedTo, bucket, get, runStack, sideOf, T } from "../../harness";

// Prod runs v2; legacy stays available in both stacks.
const LEGACY = { loggingMode: "legacy" };

describe("the log bucket", () => {
  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      it("is private: all four public access block flags on", async () => {
        const run = await runStack(stack);
        const block = sideOf(run, T.publicAccess, bucket(run, "logs")).inputs;
        assert.deepStrictEqual(
          [
            block.blockPublicAcls,
            block.ignorePublicAcls,
            block.blockPublicPolicy,
            block.restrictPublicBuckets,
          ],
          [true, true, true, true],
        );
      });

      it("in legacy mode grants FULL_CONTROL to CloudFront log delivery and the owner in an explicit ACL", async () => {
        const run = await runStack(stack, LEGACY);
        const logs = bucket(run, "logs");
        assert.strictEqual(
          get(sideOf(run, T.ownership, logs), "rule", "objectOwnership"),
          "BucketOwnerPreferred",
        );
        const acl = sideOf(run, T.acl, logs);
        assert.strictEqual(acl.inputs.acl, undefined, "a canned ACL would wipe CloudFront's own grant");
        const owner = get(acl, "accessControlPolicy", "owner", "id");
        const grants = get(acl, "accessControlPolicy", "grants") as {
          grantee: { type: string; id: string };
          permission: string;
        }[];
        const ids = grants.filter((g) => g.permission === "FULL_CONTROL").map((g) => g.grantee.id);
        assert.deepStrictEqual(ids.sort(), [LOG_DELIVERY_CANONICAL_USER_ID, owner].sort());
      });

      it("is encrypted with SSE-S3, versioned, and in legacy mode only denies requests without TLS", async () => {
        const run = await runStack(stack, LEGACY);
        const logs = bucket(run, "logs");
        const sse = sideOf(run, T.encryption, logs);
        assert.strictEqual(
          get(sse, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
          "AES256",
        );
        assert.strictEqual(
          get(sideOf(run, T.versioning, logs), "versioningConfiguration", "status"),
          "Enabled",
        );
        const policy = JSON.parse(String(sideOf(run, T.policy, logs).inputs.policy));
        assert.deepStrictEqual(
          policy.Statement.map((s: { Effect: string; Condition: unknown }) => [s.Effect, s.Condition]),
          [["Deny", { Bool: { "aws:SecureTransport": "false" } }]],
        );
      });
    });
  }

  it("expires logs and their old versions after the configured retention", async () => {
    for (const [stack, days, noncurrent] of [
      ["dev", 7, 1],
      ["prod", 395, 30],
    ] as const) {
      const run = await runStack(stack);
      const rules = get(sideOf(run, T.lifecycle, bucket(run, "logs")), "rules") as Record<string, never>[];
      const expire = rules.find((r) => get({ inputs: r } as never, "expiration", "days") !== undefined);
      assert.ok(expire, `${stack}: a rule that expires by days`);
      assert.strictEqual(get({ inputs: expire } as never, "expiration", "days"), days);
      assert.strictEqual(
        get({ inputs: expire } as never, "noncurrentVersionExpiration", "noncurrentDays"),
        noncurrent,
      );
      assert.ok(rules.every((r) => get({ inputs: r } as never, "status") === "Enabled"));
    }
    const longer = await runStack("prod", { retentionDays: "30" });
    const rules = get(sideOf(longer, T.lifecycle, bucket(longer, "logs")), "rules");
    assert.strictEqual(get({ inputs: rules } as never, 0, "expiration", "days"), 30);
  });

  it("in prod survives pulumi destroy: protect, retainOnDelete, no forceDestroy", async () => {
    const logs = bucket(await runStack("prod"), "logs");
    assert.deepStrictEqual(
      [logs.protect, logs.retainOnDelete, logs.inputs.forceDestroy],
      [true, true, false],
    );
  });

  // The types the log bucket's guards are declared with; a new kind attached to the bucket is
  // caught by the protect checks below whether or not it is listed here. A BucketAcl exists in
  // legacy mode, and in v2 only as the reset of a migrated legacy bucket.
  const GUARD_TYPES = [T.publicAccess, T.ownership, T.encryption, T.versioning, T.lifecycle, T.policy];
  const guardTypes = (withAcl: boolean) => [...GUARD_TYPES, ...(withAcl ? [T.acl] : [])].sort();

  it("in prod keeps every resource attached to the log bucket: protect and retainOnDelete", async () => {
    for (const [overrides, withAcl] of [
      [{}, false],
      [{ migrateLegacyLogBucket: "true" }, true],
      [LEGACY, true],
    ] as const) {
      const run = await runStack("prod", overrides);
      const attached = attachedTo(run, bucket(run, "logs"));
      assert.deepStrictEqual(attached.map((r) => r.type).sort(), guardTypes(withAcl));
      for (const r of attached) {
        assert.deepStrictEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
      }
    }
  });

  it("in prod leaves the public access block in place even past a delete (skipDestroy)", async () => {
    const run = await runStack("prod");
    assert.strictEqual(sideOf(run, T.publicAccess, bucket(run, "logs")).inputs.skipDestroy, true);
  });

  it("takes all of it from the one protectLogBucket switch", async () => {
    for (const [stack, overrides, keep] of [
      ["prod", { protectLogBucket: "false" }, false],
      ["dev", { protectLogBucket: "true" }, true],
      ["dev", {}, false],
    ] as const) {
      const run = await runStack(stack, overrides);
      const logs = bucket(run, "logs");
      const attached = attachedTo(run, logs);
      assert.strictEqual(attached.length, guardTypes(run.outputs.loggingMode === "legacy").length);
      for (const r of [logs, ...attached]) {
        assert.deepStrictEqual(
          [r.name, r.protect, r.retainOnDelete],
          [r.name, keep, keep],
          `${stack} ${JSON.stringify(overrides)}`,
        );
      }
      assert.strictEqual(logs.inputs.forceDestroy, !keep);
      assert.strictEqual(sideOf(run, T.publicAccess, logs).inputs.skipDestroy, keep);
    }
  });

  it("protects nothing of the pixel bucket, which holds no data", async () => {
    const run = await runStack("prod");
    const pixel = bucket(run, "pixel");
    for (const r of [pixel, ...attachedTo(run, pixel)]) {
      assert.deepStrictEqual([r.name, r.protect, r.retainOnDelete], [r.name, false, false]);
    }
  });

  it('filters lifecycle rules by { prefix: "" }, in two rules: expiry by days, expired delete markers', async () => {
    for (const stack of ["dev", "prod"]) {
      const run = await runStack(stack);
      const rules = get(sideOf(run, T.lifecycle, bucket(run, "logs")), "rules") as Record<string, unknown>[];
      assert.deepStrictEqual(
        rules.map((r) => r.filter),
        [{ prefix: "" }, { prefix: "" }],
      );
      // The provider drops expiredObjectDeleteMarker from a rule that also expires by days.
      const [byDays, markers] = rules.map((r) => r.expiration as Record<string, unknown>);
      assert.ok(typeof byDays.days === "number" && byDays.expiredObjectDeleteMarker === undefined);
      assert.deepStrictEqual(markers, { expiredObjectDeleteMarker: true });
      assert.strictEqual(rules[1].noncurrentVersionExpiration, undefined);
    }
  });

  it("in dev may be destroyed with its logs", async () => {
    const logs = bucket(await runStack("dev"), "logs");
    assert.deepStrictEqual(
      [logs.protect, logs.retainOnDelete, logs.inputs.forceDestroy],
      [false, false, true],
    );
  });
});
