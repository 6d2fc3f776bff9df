import * as assert from "assert";
import { CollectorArgs, validateCollectorArgs } from "../../../collector/config/args";
import { corsResponseHeaders } from "../../../collector/edge/cors";
import { get, one, runStack, T } from "../../harness";

const RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";
const SITES = ["https://www.example.com", "https://shop.example.com"];

describe("CORS on the pixel", () => {
  for (const stack of ["dev", "prod"]) {
    it(`answers any site without credentials by default, on the default behaviour (${stack})`, async () => {
      const run = await runStack(stack);
      const cdn = one(run, T.distribution);
      const policy = one(run, RESPONSE_HEADERS_POLICY);
      assert.ok(
        cdn.propertyDependencies.defaultCacheBehavior.includes(policy.urn),
        "the default behaviour's responseHeadersPolicyId comes from the declared policy",
      );
      assert.strictEqual(
        get(cdn, "defaultCacheBehavior", "responseHeadersPolicyId"),
        "<collector-pixel-cors.id>",
      );
      assert.deepStrictEqual(get(policy, "corsConfig"), {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: ["Content-Type"] },
        accessControlAllowMethods: { items: ["GET", "HEAD"] },
        accessControlAllowOrigins: { items: ["*"] },
        originOverride: true,
      });
    });
  }

  it("with a list of sites, allows credentials and names exactly those sites", async () => {
    const run = await runStack("prod", { corsAllowedOrigins: JSON.stringify(SITES) });
    const policy = one(run, RESPONSE_HEADERS_POLICY);
    assert.strictEqual(get(policy, "corsConfig", "accessControlAllowCredentials"), true);
    assert.deepStrictEqual(get(policy, "corsConfig", "accessControlAllowOrigins"), { items: SITES });
    assert.match(String(get(policy, "comment")), /listed sites, with credentials/);
  });

  it("never allows a preflight: OPTIONS is neither allowed on the behaviour nor named in the policy", async () => {
    const run = await runStack("prod", { corsAllowedOrigins: JSON.stringify(SITES) });
    const methods = get(
      one(run, RESPONSE_HEADERS_POLICY),
      "corsConfig",
      "accessControlAllowMethods",
      "items",
    );
    assert.ok(!(methods as string[]).includes("OPTIONS"));
    assert.ok(
      !(get(one(run, T.distribution), "defaultCacheBehavior", "allowedMethods") as string[]).includes(
        "OPTIONS",
      ),
    );
  });

  it("is refused by the component with a wildcard among credentialed origins, naming the argument", () => {
    const args: CollectorArgs = {
      loggingEnabled: true,
      logPrefix: "cloudfront/",
      retentionDays: 30,
      noncurrentVersionRetentionDays: 7,
      priceClass: "PriceClass_100",
      viewerProtocolPolicy: "https-only",
      protectLogBucket: true,
      corsAllowedOrigins: ["*", SITES[0]],
    };
    assert.throws(
      () => validateCollectorArgs(args),
      /corsAllowedOrigins: .*CloudFront refuses a wildcard origin/,
    );
    assert.doesNotThrow(() => validateCollectorArgs({ ...args, corsAllowedOrigins: SITES }));
  });

  describe("the answer CloudFront gives (the model the stand-in edge and verify use)", () => {
    const any = { accessControlAllowCredentials: false, accessControlAllowOrigins: { items: ["*"] } };
    const listed = { accessControlAllowCredentials: true, accessControlAllowOrigins: { items: SITES } };

    it("adds nothing to a request without an Origin header", () => {
      assert.deepStrictEqual(corsResponseHeaders(any, undefined), {});
      assert.deepStrictEqual(corsResponseHeaders(listed, undefined), {});
    });

    it("answers * to any origin without credentials", () => {
      assert.deepStrictEqual(corsResponseHeaders(any, "https://anyone.example"), {
        "access-control-allow-origin": "*",
      });
    });

    it("echoes a listed origin with credentials, and leaves an unlisted one without an answer", () => {
      assert.deepStrictEqual(corsResponseHeaders(listed, SITES[1]), {
        "access-control-allow-origin": SITES[1],
        "access-control-allow-credentials": "true",
      });
      assert.deepStrictEqual(corsResponseHeaders(listed, "https://evil.example"), {});
    });
  });
});
