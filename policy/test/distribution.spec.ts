import {
  distributionGetHeadOnly,
  distributionStandardLogging,
  distributionViewerHttps,
} from "../policies/distribution";
import { T, UNKNOWN_SENTINEL, collectorStack, ref } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

type Props = Record<string, unknown>;

describe("distribution-standard-logging", () => {
  const policy = distributionStandardLogging;
  const logging = (s: ReturnType<typeof collectorStack>) => s.props("collector-cdn").loggingConfig as Props;

  it("fails when logging is off, by default", async () => {
    await assertViolates(policy, collectorStack({ preview: true, logging: false }), /standard logging off/, {
      on: "collector-cdn",
    });
  });

  it("passes logging off with allowLoggingDisabled (dev)", async () => {
    await assertPasses(policy, collectorStack({ preview: true, logging: false }), {
      allowLoggingDisabled: true,
    });
  });

  for (const allowLoggingDisabled of [false, true]) {
    it(`fails on includeCookies true (allowLoggingDisabled ${allowLoggingDisabled})`, async () => {
      const s = collectorStack({ preview: true });
      logging(s).includeCookies = true;
      await assertViolates(policy, s, /includeCookies true/, { config: { allowLoggingDisabled } });
    });
  }

  it("fails when the log bucket does not trace to a bucket of the stack", async () => {
    const s = collectorStack();
    logging(s).bucket = "someone-elses-bucket.s3.amazonaws.com";
    await assertViolates(policy, s, /does not trace to a bucket of this stack/);
    const p = collectorStack({ preview: true });
    logging(p).bucket = UNKNOWN_SENTINEL; // unknown, and no property dependency to follow
    await assertViolates(policy, p, /does not trace/);
  });

  it("traces the log bucket by its known domain name, with no property dependency", async () => {
    const s = collectorStack();
    logging(s).bucket = "collector-logs-a1b2c3d.s3.amazonaws.com";
    await assertPasses(policy, s);
  });

  it("fails when the distribution logs into the pixel bucket", async () => {
    const s = collectorStack({ preview: true });
    logging(s).bucket = ref("collector-pixel", "bucketDomainName");
    await assertViolates(policy, s, /logs into the pixel bucket/, { on: "collector-cdn" });
  });
});

describe("distribution-get-head-only", () => {
  const policy = distributionGetHeadOnly;

  for (const methods of [
    ["GET", "HEAD", "OPTIONS"],
    ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
    UNKNOWN_SENTINEL,
  ]) {
    it(`fails on a default behaviour allowing ${JSON.stringify(methods)}`, async () => {
      const s = collectorStack({ preview: true });
      (s.props("collector-cdn").defaultCacheBehavior as Props).allowedMethods = methods;
      await assertViolates(policy, s, /defaultCacheBehavior allows/, { on: "collector-cdn" });
    });
  }

  it("checks ordered cache behaviours too", async () => {
    const s = collectorStack({ preview: true });
    const base = s.props("collector-cdn").defaultCacheBehavior as Props;
    s.props("collector-cdn").orderedCacheBehaviors = [
      { ...base, pathPattern: "/i" },
      {
        ...base,
        pathPattern: "/com.snowplowanalytics.snowplow/tp2",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      },
    ];
    await assertViolates(policy, s, /orderedCacheBehaviors\[1\] \("\/com.snowplowanalytics.snowplow\/tp2"\)/);
    (s.props("collector-cdn").orderedCacheBehaviors as Props[]).pop();
    await assertPasses(policy, s);
  });

  it("checks every distribution of the stack", async () => {
    const s = collectorStack();
    s.add({
      type: T.distribution,
      name: "second",
      props: { defaultCacheBehavior: { allowedMethods: ["GET", "HEAD", "OPTIONS"] } },
    });
    await assertViolates(policy, s, /allows/, { on: "second" });
  });
});

describe("distribution-viewer-https (advisory)", () => {
  const policy = distributionViewerHttps;

  it("passes https-only and redirect-to-https", async () => {
    const s = collectorStack();
    await assertPasses(policy, s);
    (s.props("collector-cdn").defaultCacheBehavior as Props).viewerProtocolPolicy = "redirect-to-https";
    await assertPasses(policy, s);
  });

  it("flags allow-all", async () => {
    const s = collectorStack({ preview: true });
    (s.props("collector-cdn").defaultCacheBehavior as Props).viewerProtocolPolicy = "allow-all";
    await assertViolates(policy, s, /allow-all/, { on: "collector-cdn" });
  });
});
