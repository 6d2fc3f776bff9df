import * as assert from "assert";
import { bucket, get, one, runStack, sideOf, T } from "../../harness";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";

describe("the distribution", () => {
  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      it("serves the pixel bucket through its regional domain, GET and HEAD only", async () => {
        const run = await runStack(stack);
        const cdn = one(run, T.distribution);
        const pixelBucket = bucket(run, "pixel");
        assert.ok(
          cdn.propertyDependencies.origins.includes(pixelBucket.urn),
          "origin comes from the pixel bucket",
        );
        assert.match(
          String(get(cdn, "origins", 0, "domainName")),
          /<collector-pixel\.bucket>\.s3\.eu-west-1\.amazonaws\.com/,
        );
        assert.deepStrictEqual(get(cdn, "defaultCacheBehavior", "allowedMethods"), ["GET", "HEAD"]);
        assert.deepStrictEqual(get(cdn, "defaultCacheBehavior", "cachedMethods"), ["GET", "HEAD"]);
        assert.strictEqual(get(cdn, "orderedCacheBehaviors"), undefined);
      });

      it("answers every event from the edge cache: nothing but the path in the cache key", async () => {
        const run = await runStack(stack);
        const cdn = one(run, T.distribution);
        const cache = one(run, T.cachePolicy);
        assert.ok(
          cdn.propertyDependencies.defaultCacheBehavior.includes(cache.urn),
          "behaviour uses the cache policy",
        );
        const key = get(cache, "parametersInCacheKeyAndForwardedToOrigin") as Record<
          string,
          Record<string, string>
        >;
        assert.strictEqual(key.queryStringsConfig.queryStringBehavior, "none");
        assert.strictEqual(key.cookiesConfig.cookieBehavior, "none");
        assert.strictEqual(key.headersConfig.headerBehavior, "none");
        // Above zero, the edge caches the pixel despite the no-store header meant for browsers.
        assert.ok(Number(cache.inputs.minTtl) > 0);
      });

      it("speaks HTTP/2 and HTTP/3 over IPv6 too, with the configured price class", async () => {
        const cdn = one(await runStack(stack), T.distribution);
        assert.strictEqual(cdn.inputs.httpVersion, "http2and3");
        assert.strictEqual(cdn.inputs.isIpv6Enabled, true);
        assert.strictEqual(cdn.inputs.priceClass, "PriceClass_100");
        assert.strictEqual(get(cdn, "viewerCertificate", "cloudfrontDefaultCertificate"), true);
      });
    });
  }

  it("in legacy mode logs to the log bucket under the stack's prefix, without cookies, once the ACL is in place", async () => {
    const run = await runStack("prod", { loggingMode: "legacy" });
    const cdn = one(run, T.distribution);
    const logs = bucket(run, "logs");
    assert.ok(cdn.propertyDependencies.loggingConfig.includes(logs.urn));
    assert.strictEqual(get(cdn, "loggingConfig", "bucket"), "<collector-logs.bucket>.s3.amazonaws.com");
    assert.strictEqual(get(cdn, "loggingConfig", "includeCookies"), false);
    assert.strictEqual(get(cdn, "loggingConfig", "prefix"), "cloudfront/prod/");
    for (const needed of [sideOf(run, T.ownership, logs), sideOf(run, T.acl, logs)]) {
      assert.ok(cdn.dependencies.includes(needed.urn), `distribution depends on ${needed.name}`);
    }
  });

  it("in v2 mode (prod) has its own logging off: the delivery writes the logs", async () => {
    const cdn = one(await runStack("prod"), T.distribution);
    assert.strictEqual(cdn.inputs.loggingConfig, undefined);
  });

  it("in dev is a /dev/null pixel: no logging", async () => {
    const cdn = one(await runStack("dev"), T.distribution);
    assert.strictEqual(cdn.inputs.loggingConfig, undefined);
  });

  it("takes the viewer protocol policy from the stack: allow-all in dev, https-only in prod", async () => {
    assert.strictEqual(
      get(one(await runStack("dev"), T.distribution), "defaultCacheBehavior", "viewerProtocolPolicy"),
      "allow-all",
    );
    assert.strictEqual(
      get(one(await runStack("prod"), T.distribution), "defaultCacheBehavior", "viewerProtocolPolicy"),
      "https-only",
    );
    const redirect = await runStack("dev", {
      viewerProtocolPolicy: "redirect-to-https",
      priceClass: "PriceClass_All",
    });
    const cdn = one(redirect, T.distribution);
    assert.strictEqual(get(cdn, "defaultCacheBehavior", "viewerProtocolPolicy"), "redirect-to-https");
    assert.strictEqual(cdn.inputs.priceClass, "PriceClass_All");
  });

  it("serves a custom domain with its us-east-1 certificate, SNI only, TLS 1.2 at least", async () => {
    const run = await runStack("prod", { customDomain: "c.example.com", certificateArn: CERT });
    const cdn = one(run, T.distribution);
    assert.deepStrictEqual(cdn.inputs.aliases, ["c.example.com"]);
    assert.deepStrictEqual(cdn.inputs.viewerCertificate, {
      acmCertificateArn: CERT,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    });
    assert.strictEqual(run.outputs.collectorDomain, "c.example.com");
    assert.strictEqual(run.outputs.pixelUrl, "https://c.example.com/i");
    assert.strictEqual(run.outputs.distributionDomain, "<collector-cdn.domainName>");
  });
});
