/**
 * Each replay rule fires on a minimal program that AWS would refuse, and stays silent on the
 * corrected program: the rules are checked against programs, not against the collector alone.
 */
import * as assert from "assert";
import { replayDestroy, replayUp } from "../../offline/replay";
import { refusalsOf, runMinimal } from "./harness";

describe("replay rules, each on a minimal program", () => {
  it("s3-acls-disabled: a BucketAcl, even private, on a new bucket (ACLs disabled by default)", async () => {
    const refused = replayUp(await runMinimal("bucket-acl"));
    assert.deepStrictEqual(refusalsOf(refused), ["acl: AccessControlListNotSupported (earliest, latest)"]);
    assert.strictEqual(refused.refusals[0].rule, "s3-acls-disabled");
    assert.match(refused.refusals[0].source, /#34079/);
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("bucket-acl", { fixed: true }))), []);
  });

  it("s3-acls-disabled: an object ACL before the ownership controls enable ACLs", async () => {
    const refused = replayUp(await runMinimal("object-acl"));
    assert.deepStrictEqual(refusalsOf(refused), ["o: AccessControlListNotSupported (earliest, latest)"]);
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("object-acl", { fixed: true }))), []);
  });

  it("s3-public-acl-blocked: a public-read object while Block Public Access is on (the default)", async () => {
    const refused = replayUp(await runMinimal("public-acl"));
    assert.deepStrictEqual(refusalsOf(refused), ["o: AccessDenied (earliest, latest)"]);
    assert.strictEqual(refused.refusals[0].rule, "s3-public-acl-blocked");
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("public-acl", { fixed: true }))), []);
  });

  it("s3-public-policy-blocked: a policy allowing anyone, under the default Block Public Access", async () => {
    const refused = replayUp(await runMinimal("public-policy"));
    assert.deepStrictEqual(refusalsOf(refused), ["p: AccessDenied (earliest, latest)"]);
    assert.strictEqual(refused.refusals[0].rule, "s3-public-policy-blocked");
    // A service principal is not "public".
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("public-policy", { fixed: true }))), []);
  });

  it("s3-enforced-with-grants: disabling ACLs while CloudFront's grant is still on the bucket", async () => {
    const legacy = replayUp(await runMinimal("disable-acls", { step: 1 }));
    assert.deepStrictEqual(refusalsOf(legacy), []);
    const refused = replayUp(await runMinimal("disable-acls", { step: 2 }), legacy.after);
    assert.deepStrictEqual(refusalsOf(refused), [
      "own: InvalidBucketAclWithObjectOwnership (earliest, latest)",
    ]);
    // The ACL resource's delete comes after the updates, and the provider's delete does not touch
    // AWS anyway: the grant is still there.
    assert.strictEqual(refused.steps.find((s) => s.step.name === "acl")?.outcome, "not run");
    const fixed = replayUp(await runMinimal("disable-acls", { step: 2, fixed: true }), legacy.after);
    assert.deepStrictEqual(refusalsOf(fixed), []);
  });

  it("cloudfront-legacy-logging-needs-acls: legacy logging to a bucket with ACLs disabled", async () => {
    const refused = replayUp(await runMinimal("legacy-logging"));
    assert.deepStrictEqual(refusalsOf(refused), ["cdn: InvalidArgument (earliest, latest)"]);
    assert.match(refused.refusals[0].message, /does not enable ACL access/);
    // Declared but not waited for: refused when the distribution runs first.
    const unordered = replayUp(await runMinimal("legacy-logging", { unordered: true }));
    assert.deepStrictEqual(refusalsOf(unordered), ["cdn: InvalidArgument (earliest)"]);
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("legacy-logging", { fixed: true }))), []);
  });

  it("cloudfront-cors-credentials-wildcard: credentials with the * origin", async () => {
    const refused = replayUp(await runMinimal("cors-credentials"));
    assert.deepStrictEqual(refusalsOf(refused), ["cors: InvalidArgument (earliest, latest)"]);
    assert.match(refused.refusals[0].message, /Origins cannot contain \*/);
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("cors-credentials", { fixed: true }))), []);
  });

  it("cloudfront-cors-empty-allow-headers: an empty allow-headers list", async () => {
    const refused = replayUp(await runMinimal("cors-headers"));
    assert.deepStrictEqual(refusalsOf(refused), ["cors: InvalidArgument (earliest, latest)"]);
    assert.strictEqual(refused.refusals[0].rule, "cloudfront-cors-empty-allow-headers");
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("cors-headers", { fixed: true }))), []);
  });

  it("logs-cloudfront-delivery-us-east-1: source, destination and delivery outside us-east-1", async () => {
    const refused = replayUp(await runMinimal("v2-delivery", { region: "eu-west-1", ordered: true }));
    assert.deepStrictEqual(refusalsOf(refused), [
      "dest: ValidationException (earliest, latest)",
      "source: ValidationException (earliest, latest)",
    ]);
    // The delivery waits for both, so it never runs.
    assert.strictEqual(refused.steps.find((s) => s.step.name === "delivery")?.outcome, "not run");
  });

  it("logs-delivery-needs-bucket-policy: a delivery that does not wait for the bucket policy", async () => {
    const refused = replayUp(await runMinimal("v2-delivery"));
    assert.deepStrictEqual(refusalsOf(refused), ["delivery: AccessDeniedException (earliest)"]);
    assert.deepStrictEqual(refusalsOf(replayUp(await runMinimal("v2-delivery", { ordered: true }))), []);
  });

  it("logs-one-source-per-distribution: a second delivery source for one distribution", async () => {
    const refused = replayUp(await runMinimal("v2-delivery", { ordered: true, sources: 2 }));
    // Whichever runs second is refused: each is refused in the order where the other ran first.
    assert.deepStrictEqual(refusalsOf(refused), [
      "source: ConflictException (latest)",
      "source1: ConflictException (latest)",
    ]);
  });

  it("s3-bucket-not-empty: destroying a versioned bucket that kept a version, without forceDestroy", async () => {
    const up = replayUp(await runMinimal("versioned-bucket"));
    assert.deepStrictEqual(refusalsOf(up), []);
    const refused = replayDestroy(up.after);
    assert.deepStrictEqual(refusalsOf(refused), ["b: BucketNotEmpty (earliest, latest)"]);
    const fixed = replayDestroy(replayUp(await runMinimal("versioned-bucket", { fixed: true })).after);
    assert.deepStrictEqual(refusalsOf(fixed), []);
    assert.deepStrictEqual(fixed.after.account.buckets, {});
  });

  it("pulumi-protected-resource: destroying a protected resource", async () => {
    const refused = replayDestroy(replayUp(await runMinimal("protected")).after);
    assert.deepStrictEqual(refusalsOf(refused), ["b: protected (earliest, latest)"]);
    assert.strictEqual(Object.keys(refused.after.account.buckets).length, 1, "the bucket is kept");
    assert.deepStrictEqual(
      refusalsOf(replayDestroy(replayUp(await runMinimal("protected", { fixed: true })).after)),
      [],
    );
  });

  it("cloudfront-policy-in-use: deleting a response headers policy a distribution still uses", async () => {
    const refused = replayDestroy(replayUp(await runMinimal("policy-in-use")).after);
    assert.deepStrictEqual(refusalsOf(refused), ["cors: ResponseHeadersPolicyInUse (earliest, latest)"]);
    const fixed = replayDestroy(replayUp(await runMinimal("policy-in-use", { fixed: true })).after);
    assert.deepStrictEqual(refusalsOf(fixed), []);
  });
});
