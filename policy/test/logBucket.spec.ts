import * as assert from "assert";

import {
  logBucketGrantsLogDelivery,
  logBucketNotPublic,
  logBucketProtected,
  logBucketRegionAllowed,
  logBucketRetention,
} from "../policies/logBucket";
import {
  LOG_DELIVERY_ID,
  OWNER_ID,
  T,
  UNKNOWN_SENTINEL,
  collectorStack,
  publicReadPolicy,
  ref,
  v2BucketPolicy,
} from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

describe("log-bucket-not-public", () => {
  const policy = logBucketNotPublic;

  for (const acl of ["public-read", "public-read-write", "authenticated-read"]) {
    it(`fails on a BucketAcl with canned ${acl} on the log bucket`, async () => {
      const s = collectorStack({ preview: true });
      s.props("collector-logs-acl").acl = acl;
      await assertViolates(policy, s, new RegExp(`canned ACL "${acl}"`), { on: "collector-logs-acl" });
    });
  }

  it("fails on a grant to AuthenticatedUsers (any AWS account)", async () => {
    const s = collectorStack({ preview: true });
    const acp = s.props("collector-logs-acl").accessControlPolicy as { grants: unknown[] };
    acp.grants.push({
      grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" },
      permission: "READ",
    });
    await assertViolates(policy, s, /READ to AuthenticatedUsers/, { on: "collector-logs-acl" });
  });

  it("fails on a public canned ACL on the log bucket itself", async () => {
    const s = collectorStack();
    s.props("collector-logs").acl = "public-read";
    await assertViolates(policy, s, /makes the log bucket .* public/, { on: "collector-logs" });
  });

  it("fails when the public access block is missing, or any flag is off", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-logs-public-access").restrictPublicBuckets = false;
    await assertViolates(policy, s, /leaves restrictPublicBuckets not true/, {
      on: "collector-logs-public-access",
    });
    s.remove("collector-logs-public-access");
    await assertViolates(policy, s, /has no BucketPublicAccessBlock/, { on: "collector-logs" });
  });

  it("fails on a bucket policy that allows everyone; passes a Deny to everyone", async () => {
    const s = collectorStack();
    await assertPasses(policy, s); // the TLS-only Deny with Principal "*"
    s.props("collector-logs-tls-only").policy = publicReadPolicy({ AWS: "*" });
    await assertViolates(policy, s, /allows everyone/, { on: "collector-logs-tls-only" });
  });

  it("passes an unknown policy document at preview (checked again once known)", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-logs-tls-only").policy = UNKNOWN_SENTINEL;
    await assertPasses(policy, s);
  });
});

describe("log-bucket-grants-log-delivery", () => {
  const policy = logBucketGrantsLogDelivery;

  it("fails without the log-delivery FULL_CONTROL grant", async () => {
    const s = collectorStack({ preview: true });
    const acp = s.props("collector-logs-acl").accessControlPolicy as { grants: { permission: string }[] };
    acp.grants[1].permission = "WRITE";
    await assertViolates(policy, s, new RegExp(`no BucketAcl granting FULL_CONTROL .*${LOG_DELIVERY_ID}`), {
      on: "collector-logs",
    });
  });

  it("fails on a canned ACL, saying it wipes CloudFront's grant", async () => {
    const s = collectorStack({ preview: true });
    const acl = s.props("collector-logs-acl");
    delete acl.accessControlPolicy;
    acl.acl = "private";
    await assertViolates(policy, s, /canned ACL, which wipes the grant/, { on: "collector-logs" });
  });

  it("fails when the BucketAcl is missing", async () => {
    const s = collectorStack({ preview: true });
    s.remove("collector-logs-acl");
    await assertViolates(policy, s, /no BucketAcl granting/);
  });

  it("fails when the owner's grant is dropped", async () => {
    const s = collectorStack({ preview: true });
    const acp = s.props("collector-logs-acl").accessControlPolicy as { grants: unknown[] };
    acp.grants.shift();
    await assertViolates(policy, s, /not the bucket owner/, { on: "collector-logs-acl" });
  });

  it("fails when ownership controls turn ACLs off under legacy logging (a mix), or are missing", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-logs-ownership").rule = { objectOwnership: "BucketOwnerEnforced" };
    await assertViolates(
      policy,
      s,
      /mixes the two permission models.*BucketOwnershipControls.*Distribution/,
      {
        on: "collector-logs",
      },
    );
    s.props("collector-logs-ownership").rule = { objectOwnership: "BucketOwnerPreferred" };
    s.remove("collector-logs-ownership");
    await assertViolates(policy, s, /no BucketOwnershipControls/, { on: "collector-logs" });
  });

  it("passes ObjectWriter ownership and the legacy BucketAclV2 token", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-logs-ownership").rule = { objectOwnership: "ObjectWriter" };
    s.get("collector-logs-acl").type = "aws:s3/bucketAclV2:BucketAclV2";
    await assertPasses(policy, s);
  });

  it("passes the v2 model: ACLs off, no grant, a delivery bucket policy with its conditions", async () => {
    await assertPasses(policy, collectorStack({ mode: "v2" }));
    await assertPasses(policy, collectorStack({ mode: "v2", preview: true }));
  });

  it("passes a migrated legacy bucket in v2: its BucketAcl reset to owner-only", async () => {
    await assertPasses(policy, collectorStack({ mode: "v2", migrateLegacyLogBucket: true }));
  });

  it("rejects a v2 bucket that still grants CloudFront's legacy log delivery (a mix)", async () => {
    const s = collectorStack({ mode: "v2", migrateLegacyLogBucket: true });
    s.props("collector-logs-acl").acl = undefined;
    s.props("collector-logs-acl").accessControlPolicy = {
      owner: { id: OWNER_ID },
      grants: [
        { grantee: { type: "CanonicalUser", id: OWNER_ID }, permission: "FULL_CONTROL" },
        { grantee: { type: "CanonicalUser", id: LOG_DELIVERY_ID }, permission: "FULL_CONTROL" },
      ],
    };
    await assertViolates(policy, s, /mixes the two permission models.*BucketAcl "collector-logs-acl"/);
  });

  it("rejects a v2 delivery into a bucket with ACLs on", async () => {
    const s = collectorStack({ mode: "v2" });
    s.props("collector-logs-ownership").rule = { objectOwnership: "BucketOwnerPreferred" };
    await assertViolates(policy, s, /objectOwnership "BucketOwnerPreferred".*Use "BucketOwnerEnforced"/, {
      on: "collector-logs-ownership",
    });
  });

  it("rejects a v2 bucket policy without the delivery grant or its source conditions", async () => {
    const none = collectorStack({ mode: "v2" });
    none.props("collector-logs-tls-only").policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" },
      ],
    });
    await assertViolates(policy, none, /no bucket policy lets delivery\.logs\.amazonaws\.com write/);
    const loose = collectorStack({ mode: "v2" });
    loose.props("collector-logs-tls-only").policy = v2BucketPolicy({
      StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },
    });
    await assertViolates(policy, loose, /AWSLogsDeliveryWrite lacks aws:SourceAccount, aws:SourceArn/);
  });

  it("finds the log bucket by the distribution's logging even without its tag", async () => {
    const s = collectorStack({ preview: true });
    delete s.props("collector-logs").tags;
    s.remove("collector-logs-acl");
    await assertViolates(policy, s, /no BucketAcl granting/, { on: "collector-logs" });
  });
});

describe("log-bucket-region-allowed", () => {
  const policy = logBucketRegionAllowed;

  for (const region of ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1"]) {
    it(`passes ${region} by default`, () => assertPasses(policy, collectorStack({ region })));
  }

  for (const region of ["eu-south-1", "eu-south-2", "eu-central-2", "us-east-1"]) {
    it(`fails ${region} by default`, async () => {
      await assertViolates(policy, collectorStack({ region }), new RegExp(`is in ${region}, which is not`), {
        on: "collector-logs",
      });
    });
  }

  it("lets the bucket's own region input win over its provider's", async () => {
    const s = collectorStack({ region: "eu-west-1" });
    s.props("collector-logs").region = "us-west-2";
    await assertViolates(policy, s, /is in us-west-2/);
    const t = collectorStack({ region: "us-east-1" });
    t.props("collector-logs").region = "eu-north-1";
    await assertPasses(policy, t);
  });

  it("fails with a clear message when no region can be found", async () => {
    await assertViolates(policy, collectorStack({ region: null }), /region is not set .* aws:region/, {
      on: "collector-logs",
    });
  });

  it("honours allowedRegions", async () => {
    const s = collectorStack({ region: "us-east-1" });
    await assertPasses(policy, s, { allowedRegions: ["us-east-1"] });
    await assertViolates(policy, collectorStack(), /eu-west-1, which is not/, {
      config: { allowedRegions: ["eu-central-1"] },
    });
  });
});

describe("log-bucket-retention", () => {
  const policy = logBucketRetention;
  type Rule = { status?: string; expiration?: { days?: number }; filter?: Record<string, unknown> };
  const rules = (s: ReturnType<typeof collectorStack>) => s.props("collector-logs-retention").rules as Rule[];

  it("fails without a lifecycle configuration", async () => {
    const s = collectorStack({ preview: true });
    s.remove("collector-logs-retention");
    await assertViolates(policy, s, /no enabled lifecycle rules/, { on: "collector-logs" });
  });

  it("fails when the expiring rule is disabled", async () => {
    const s = collectorStack({ preview: true });
    rules(s)[0].status = "Disabled";
    await assertViolates(policy, s, /no enabled lifecycle rules/);
  });

  it("fails on a versioned bucket without noncurrent-version expiration", async () => {
    const s = collectorStack({ preview: true });
    rules(s).pop();
    await assertViolates(policy, s, /noncurrentDays \(it is versioned\)/);
    s.remove("collector-logs-versioning");
    await assertPasses(policy, s);
  });

  it("fails when the rule's filter leaves the log prefix uncovered", async () => {
    const s = collectorStack({ preview: true });
    rules(s)[0].filter = { prefix: "other/" };
    await assertViolates(policy, s, /no enabled lifecycle rules/);
    rules(s)[0].filter = { prefix: "cloudfront/" };
    await assertPasses(policy, s);
    rules(s)[0].filter = { tag: { key: "k", value: "v" } };
    await assertViolates(policy, s, /no enabled lifecycle rules/);
  });

  it("accepts legacy inline lifecycleRules on the bucket", async () => {
    const s = collectorStack();
    s.remove("collector-logs-retention");
    s.props("collector-logs").lifecycleRules = [
      { enabled: true, expiration: { days: 30 }, noncurrentVersionExpiration: { days: 7 } },
    ];
    await assertPasses(policy, s);
  });

  it("honours maxRetentionDays, counting noncurrent days under versioning", async () => {
    const s = collectorStack({ preview: true }); // 395 + 30
    await assertPasses(policy, s, { maxRetentionDays: 425 });
    await assertViolates(policy, s, /up to 425 days, over the allowed 400/, {
      config: { maxRetentionDays: 400 },
    });
  });
});

describe("log-bucket-protected", () => {
  const policy = logBucketProtected;

  it("fails on an unprotected log bucket by default", async () => {
    const s = collectorStack({ preview: true, protect: false });
    await assertViolates(policy, s, /not protected/, { on: "collector-logs" });
    await assertViolates(policy, s, /forceDestroy/, { on: "collector-logs" });
  });

  it("passes it with requireProtect: false (dev)", async () => {
    await assertPasses(policy, collectorStack({ preview: true, protect: false }), { requireProtect: false });
  });

  it("passes a protected log bucket", () => assertPasses(policy, collectorStack({ preview: true })));

  const sides = [
    "collector-logs-public-access",
    "collector-logs-ownership",
    "collector-logs-acl",
    "collector-logs-encryption",
    "collector-logs-versioning",
    "collector-logs-retention",
    "collector-logs-tls-only",
  ];
  for (const side of sides) {
    it(`fails when ${side}, attached to the log bucket, is not protected`, async () => {
      for (const preview of [true, false]) {
        const s = collectorStack({ preview });
        s.get(side).protect = false;
        const vs = await assertViolates(policy, s, /attached to the log bucket .* not protected/, {
          on: side,
        });
        assert.strictEqual(vs.length, 1, JSON.stringify(vs));
      }
    });
  }

  it("fails on any kind of resource attached to the log bucket, not only the known side resources", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: "aws:s3/bucketNotification:BucketNotification",
      name: "logs-notify",
      props: { bucket: ref("collector-logs", "id"), eventbridge: true },
    });
    await assertViolates(policy, s, /BucketNotification "logs-notify" is attached to the log bucket/, {
      on: "logs-notify",
    });
    s.get("logs-notify").protect = true;
    await assertPasses(policy, s);
  });

  it("fails when the log bucket's public access block does not set skipDestroy", async () => {
    for (const skipDestroy of [false, undefined]) {
      const s = collectorStack({ preview: true });
      s.props("collector-logs-public-access").skipDestroy = skipDestroy;
      await assertViolates(policy, s, /does not set skipDestroy/, { on: "collector-logs-public-access" });
    }
  });

  it("asks nothing of the pixel bucket's side resources, nor of dev with requireProtect: false", async () => {
    const s = collectorStack({ preview: true });
    for (const r of s.resources.filter((x) => x.name.startsWith("collector-pixel"))) {
      assert.ok(!r.protect, `${r.name} is unprotected in the fixture`);
    }
    await assertPasses(policy, s);
    const dev = collectorStack({ preview: true, protect: false, logging: false });
    await assertPasses(policy, dev, { requireProtect: false });
    await assertViolates(policy, dev, /collector-logs-versioning" is attached to the log bucket/);
  });

  it("applies to the log bucket found through logging, not the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.get("collector-pixel").protect = false;
    await assertPasses(policy, s);
    s.add({ type: T.bucket, name: "second-logs", props: { tags: { "cloudfront-collector:role": "logs" } } });
    s.props("collector-cdn").loggingConfig = {
      bucket: ref("second-logs", "bucketDomainName"),
      includeCookies: false,
    };
    await assertViolates(policy, s, /not protected/, { on: "second-logs" });
  });
});
