import {
  pixelBucketNoS3Logging,
  pixelBucketOnlyPixelPublic,
  pixelObjectPublicGif,
} from "../policies/pixelBucket";
import { T, UNKNOWN_SENTINEL, collectorStack, publicReadPolicy, ref } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

describe("pixel-bucket-no-s3-logging", () => {
  const policy = pixelBucketNoS3Logging;

  for (const type of [T.logging, T.loggingV2]) {
    it(`fails on a ${type.split(":").pop()} of the pixel bucket, at preview, linked only through the graph`, async () => {
      const s = collectorStack({ preview: true });
      s.add({
        type,
        name: "renamed-access-logs",
        props: { bucket: ref("collector-pixel", "id"), targetBucket: ref("collector-logs", "id") },
      });
      const vs = await assertViolates(policy, s, /turns on S3 access logging for the pixel bucket/, {
        on: "renamed-access-logs",
      });
      // The sentinel, not a name, is what the policy saw.
      const built = s.build().find((r) => r.name === "renamed-access-logs");
      if (Object.getOwnPropertyDescriptor(built?.props, "bucket")?.value !== UNKNOWN_SENTINEL) {
        throw new Error(`fixture should hold the unknown sentinel, saw ${JSON.stringify(vs)}`);
      }
    });
  }

  it("fails on a BucketLogging naming the pixel bucket by its known name (no property dependency)", async () => {
    const s = collectorStack();
    s.add({
      type: T.logging,
      name: "literal",
      props: { bucket: "collector-pixel-a1b2c3d", targetBucket: "elsewhere" },
    });
    await assertViolates(policy, s, /turns on S3 access logging/, { on: "literal" });
  });

  it("fails when the engine sent no property dependencies but the logging depends only on the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.logging,
      name: "opaque",
      props: { bucket: UNKNOWN_SENTINEL },
      withoutPropertyDependencies: true,
      dependsOn: ["collector-pixel"],
    });
    await assertViolates(policy, s, /turns on S3 access logging|cannot be traced/, { on: "opaque" });
  });

  it("fails safe on an untraceable BucketLogging that depends on the pixel bucket among others", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.logging,
      name: "opaque",
      props: { bucket: UNKNOWN_SENTINEL },
      withoutPropertyDependencies: true,
      dependsOn: ["collector-pixel", "collector-logs"],
    });
    await assertViolates(policy, s, /cannot be traced/, { on: "opaque" });
  });

  it("passes a BucketLogging of another bucket that logs into the log bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({ type: T.bucket, name: "other", props: {}, computed: { id: "other-1", bucket: "other-1" } });
    s.add({
      type: T.logging,
      name: "other-logging",
      props: { bucket: ref("other", "id"), targetBucket: ref("collector-logs", "id") },
    });
    await assertPasses(policy, s);
  });

  it("fails on inline `logging` on the pixel bucket (aws 7 Bucket)", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-pixel").logging = { targetBucket: ref("collector-logs", "id"), targetPrefix: "s3/" };
    await assertViolates(policy, s, /declares inline S3 access logging/, { on: "collector-pixel" });
  });

  it("fails on inline `loggings` on a legacy BucketV2 pixel bucket", async () => {
    const s = collectorStack();
    s.get("collector-pixel").type = T.bucketV2;
    s.props("collector-pixel").loggings = [{ targetBucket: "somewhere", targetPrefix: "s3/" }];
    await assertViolates(policy, s, /declares inline S3 access logging/, { on: "collector-pixel" });
  });

  it("passes a pixel bucket whose computed `logging` output is unknown as a whole at preview", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-pixel").logging = UNKNOWN_SENTINEL;
    await assertPasses(policy, s);
  });

  it("fails when the pixel bucket is the target of a BucketLogging", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.logging,
      name: "into-pixel",
      props: { bucket: ref("collector-logs", "id"), targetBucket: ref("collector-pixel", "id") },
    });
    await assertViolates(policy, s, /writes S3 access logs into the pixel bucket/, { on: "into-pixel" });
  });

  it("fails when another bucket's inline logging targets the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.bucket,
      name: "other",
      props: { logging: { targetBucket: ref("collector-pixel", "id") } },
    });
    await assertViolates(policy, s, /sends its S3 access logs into the pixel bucket/, { on: "other" });
  });

  describe("recognises the pixel bucket by any one signal, never by name", () => {
    it("by the role tag alone", async () => {
      const s = collectorStack({ preview: true });
      s.remove("collector-pixel-i");
      s.props("collector-cdn").origins = [{ originId: "pixel", domainName: "example.com" }];
      s.add({ type: T.logging, name: "l", props: { bucket: ref("collector-pixel", "id") } });
      await assertViolates(policy, s, /turns on S3 access logging/);
    });
    it("by holding the object `i` alone", async () => {
      const s = collectorStack({ preview: true });
      delete s.props("collector-pixel").tags;
      s.props("collector-cdn").origins = [{ originId: "pixel", domainName: "example.com" }];
      s.add({ type: T.logging, name: "l", props: { bucket: ref("collector-pixel", "id") } });
      await assertViolates(policy, s, /turns on S3 access logging/);
    });
    it("by being the distribution's origin alone", async () => {
      const s = collectorStack({ preview: true });
      delete s.props("collector-pixel").tags;
      s.remove("collector-pixel-i");
      s.add({ type: T.logging, name: "l", props: { bucket: ref("collector-pixel", "id") } });
      await assertViolates(policy, s, /turns on S3 access logging/);
    });
    it("after every logical name has changed", async () => {
      const s = collectorStack({ preview: true });
      for (const r of [...s.resources]) {
        s.rename(r.name, `zz-${r.name.split("").reverse().join("")}`);
      }
      s.add({ type: T.logging, name: "l", props: { bucket: ref("zz-lexip-rotcelloc", "id") } });
      await assertViolates(policy, s, /turns on S3 access logging/, { on: "l" });
    });
  });

  it("fails when a collector exists but no bucket carries any pixel signal", async () => {
    const s = collectorStack({ preview: true });
    delete s.props("collector-pixel").tags;
    s.remove("collector-pixel-i");
    s.props("collector-cdn").origins = [{ originId: "pixel", domainName: "example.com" }];
    await assertViolates(policy, s, /cannot find the pixel bucket/, { on: "collector" });
  });
});

describe("pixel-object-public-gif", () => {
  const policy = pixelObjectPublicGif;

  it("passes the legacy BucketObject token too", async () => {
    const s = collectorStack({ preview: true });
    s.get("collector-pixel-i").type = T.objectV1;
    await assertPasses(policy, s);
  });

  it("fails when the pixel is not image/gif", async () => {
    const s = collectorStack({ preview: true });
    delete s.props("collector-pixel-i").contentType;
    await assertViolates(policy, s, /Content-Type unset.*image\/gif/, { on: "collector-pixel-i" });
  });

  for (const acl of ["private", "public-read-write", undefined]) {
    it(`fails when the pixel's ACL is ${acl ?? "unset"}`, async () => {
      const s = collectorStack({ preview: true });
      s.props("collector-pixel-i").acl = acl;
      await assertViolates(policy, s, /Set acl: "public-read"/, { on: "collector-pixel-i" });
    });
  }

  it("fails when the pixel bucket holds no object `i`", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-pixel-i").key = "pixel.gif";
    await assertViolates(policy, s, /holds no object "i"/, { on: "collector-pixel" });
  });

  it("fails when ACLs are off on the pixel bucket (BucketOwnerEnforced, or no ownership controls)", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-pixel-ownership").rule = { objectOwnership: "BucketOwnerEnforced" };
    await assertViolates(policy, s, /ACLs are off/, { on: "collector-pixel" });
    s.remove("collector-pixel-ownership");
    await assertViolates(policy, s, /ACLs are off/, { on: "collector-pixel" });
  });

  it("fails when the pixel bucket's public access block blocks or ignores public ACLs", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-pixel-public-access").ignorePublicAcls = true;
    await assertViolates(policy, s, /ignorePublicAcls true/, { on: "collector-pixel-public-access" });
    s.remove("collector-pixel-public-access");
    await assertViolates(policy, s, /has no BucketPublicAccessBlock/, { on: "collector-pixel" });
  });
});

describe("pixel-bucket-only-pixel-public", () => {
  const policy = pixelBucketOnlyPixelPublic;

  it("passes private extra objects in the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.object,
      name: "readme",
      props: { bucket: ref("collector-pixel", "id"), key: "README", acl: "private" },
    });
    await assertPasses(policy, s);
  });

  it("fails on another public object in the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.object,
      name: "leak",
      props: { bucket: ref("collector-pixel", "id"), key: "config.json", acl: "public-read" },
    });
    await assertViolates(policy, s, /key "config.json".*is public/, { on: "leak" });
  });

  it("fails on a public BucketAcl grant on the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.acl,
      name: "pixel-acl",
      props: {
        bucket: ref("collector-pixel", "id"),
        accessControlPolicy: {
          grants: [
            {
              grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
              permission: "READ",
            },
          ],
        },
      },
    });
    await assertViolates(policy, s, /READ to AllUsers/, { on: "pixel-acl" });
  });

  for (const principal of ["*", { AWS: "*" }, { AWS: ["*"] }]) {
    it(`fails on a pixel bucket policy allowing principal ${JSON.stringify(principal)}`, async () => {
      const s = collectorStack();
      s.add({
        type: T.policy,
        name: "pixel-policy",
        props: { bucket: ref("collector-pixel", "id"), policy: publicReadPolicy(principal) },
      });
      await assertViolates(policy, s, /allows everyone \(statement PublicRead\)/, { on: "pixel-policy" });
    });
  }
});
