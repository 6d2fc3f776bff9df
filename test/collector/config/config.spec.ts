import * as assert from "assert";
import * as path from "path";
import { CONFIG_KEYS } from "../../../collector/config/stackConfig";
import { PROJECT_DIR } from "../../../offline/paths";
import { declaredKeys, loadStackSettings, readYaml } from "../../../offline/stackConfig";
import { assertRejected, runStack } from "../../harness";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const ZONE = "Z0123456789ABCDEFGHIJ";

describe("stack config", () => {
  it("declares every key the program reads in Pulumi.yaml, with type, description and default", () => {
    const declared = declaredKeys(PROJECT_DIR);
    assert.deepStrictEqual(Object.keys(declared).sort(), [...CONFIG_KEYS].sort());
    for (const [key, decl] of Object.entries(declared)) {
      assert.ok(["string", "integer", "boolean", "array"].includes(String(decl.type)), `${key}: type`);
      assert.ok(String(decl.description ?? "").length > 20, `${key}: description`);
      assert.notStrictEqual(decl.default, undefined, `${key}: default`);
    }
  });

  it("puts prod in an EU region and requires it to stay there", () => {
    const prod = readYaml<{ config: Record<string, unknown> }>(
      path.join(PROJECT_DIR, "Pulumi.prod.yaml"),
    ).config;
    assert.strictEqual(prod["aws:region"], "eu-west-1");
    assert.strictEqual(prod["cloudfront-collector:requireEuRegion"], true);
  });

  it("merges Pulumi.yaml defaults under the stack file's values, namespaced, as strings", () => {
    const dev = loadStackSettings(PROJECT_DIR, "dev").config;
    assert.strictEqual(dev["cloudfront-collector:retentionDays"], "7", "stack file wins");
    assert.strictEqual(dev["cloudfront-collector:priceClass"], "PriceClass_100", "project default");
    assert.strictEqual(dev["cloudfront-collector:loggingEnabled"], "false");
    assert.strictEqual(dev["aws:region"], "eu-west-1");
  });

  it("refuses an unknown stack, naming the known ones", () => {
    assert.throws(
      () => loadStackSettings(PROJECT_DIR, "staging"),
      /unknown stack "staging".*known stacks: dev, prod/,
    );
  });

  it("accepts CORS origins as a YAML list or as comma-separated text (pulumi config set)", async () => {
    const list = ["https://www.example.com", "http://localhost:8080"];
    for (const value of [JSON.stringify(list), list.join(", ")]) {
      const run = await runStack("prod", { corsAllowedOrigins: value });
      assert.deepStrictEqual(run.outputs.corsAllowedOrigins, list, value);
    }
  });

  it("accepts a custom domain with its certificate, or with its Route 53 hosted zone", async () => {
    const run = await runStack("prod", { customDomain: "events.example.org", certificateArn: CERT });
    assert.strictEqual(run.outputs.collectorDomain, "events.example.org");
    const zoned = await runStack("prod", { customDomain: "events.example.org", hostedZoneId: ZONE });
    assert.strictEqual(zoned.outputs.collectorDomain, "events.example.org");
  });

  describe("rejects, before declaring anything, with the key, the value and what is allowed:", () => {
    const cases: [string, string, Record<string, string>, RegExp][] = [
      [
        "prod",
        "a non-EU region where EU is required",
        { "aws:region": "us-east-1" },
        /aws:region: "us-east-1".*EU Region.*eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-north-1/,
      ],
      [
        "prod",
        "an EU opt-in region legacy logging cannot deliver to",
        { "aws:region": "eu-south-1", loggingMode: "legacy" },
        /aws:region: "eu-south-1".*EU Region that receives CloudFront legacy logs/,
      ],
      [
        "prod",
        "an unknown logging mode",
        { loggingMode: "v3" },
        /loggingMode: "v3" is not allowed; expected one of legacy, v2/,
      ],
      [
        "prod",
        "Parquet, with the reason",
        { logOutputFormat: "parquet" },
        /logOutputFormat: "parquet" .*one of json, w3c \(parquet is refused: CloudWatch charges/,
      ],
      [
        "prod",
        "plain, which has no field names",
        { logOutputFormat: "plain" },
        /logOutputFormat: "plain" .*carry no field names/,
      ],
      [
        "prod",
        "a record field AWS does not know",
        { recordFields: "date,time,cs-method,cs-uri-stem,cs-uri-query,client-ip" },
        /recordFields: "date,time.*unknown: client-ip/,
      ],
      [
        "prod",
        "a v2 delivery without a prefix",
        { logPrefix: "" },
        /logPrefix: "" .*non-empty prefix in v2 mode/,
      ],
      [
        "dev",
        "an opt-in region while logging is on",
        { "aws:region": "af-south-1", loggingEnabled: "true", requireEuRegion: "false" },
        /aws:region: "af-south-1".*opt-in/,
      ],
      ["dev", "a malformed region", { "aws:region": "Ireland" }, /aws:region: "Ireland".*AWS Region name/],
      [
        "dev",
        "a missing region",
        { "aws:region": "" },
        /aws:region: not set; expected an AWS Region such as eu-west-1, set in Pulumi\.dev\.yaml/,
      ],
      [
        "prod",
        "an unknown price class",
        { priceClass: "PriceClass_Cheap" },
        /cloudfront-collector:priceClass: "PriceClass_Cheap".*PriceClass_100, PriceClass_200, PriceClass_All/,
      ],
      [
        "prod",
        "an unknown viewer protocol policy",
        { viewerProtocolPolicy: "https" },
        /viewerProtocolPolicy: "https".*allow-all, redirect-to-https, https-only/,
      ],
      [
        "prod",
        "a retention of zero days",
        { retentionDays: "0" },
        /retentionDays: 0 .*whole number of days from 1/,
      ],
      [
        "prod",
        "a negative retention",
        { retentionDays: "-5" },
        /retentionDays: -5 .*whole number of days from 1/,
      ],
      [
        "prod",
        "a retention that is not a number",
        { retentionDays: "a year" },
        /retentionDays: "a year".*whole number/,
      ],
      [
        "prod",
        "a noncurrent retention of zero",
        { noncurrentVersionRetentionDays: "0" },
        /noncurrentVersionRetentionDays: 0 /,
      ],
      [
        "prod",
        "a boolean that is not one",
        { loggingEnabled: "yes" },
        /loggingEnabled: "yes".*true or false/,
      ],
      [
        "prod",
        "a log prefix starting with a slash",
        { logPrefix: "/logs/" },
        /logPrefix: "\/logs\/".*ending in "\/", not starting with "\/"/,
      ],
      ["prod", "a log prefix without its trailing slash", { logPrefix: "logs" }, /logPrefix: "logs"/],
      [
        "prod",
        "an empty log prefix",
        { logPrefix: "" },
        /logPrefix: "" is not allowed; expected a non-empty/,
      ],
      [
        "prod",
        "a certificate without a custom domain",
        { certificateArn: CERT },
        /customDomain: not set; .*because certificateArn is set: they serve customDomain/,
      ],
      [
        "prod",
        "a hosted zone without a custom domain",
        { hostedZoneId: ZONE },
        /customDomain: not set; .*because hostedZoneId is set/,
      ],
      [
        "prod",
        "a malformed custom domain",
        { customDomain: "https://c.example.com", certificateArn: CERT },
        /customDomain: "https:\/\/c.example.com".*DNS host name/,
      ],
      [
        "prod",
        "a certificate outside us-east-1",
        { customDomain: "c.example.com", certificateArn: CERT.replace("us-east-1", "eu-west-1") },
        /certificateArn: "arn:aws:acm:eu-west-1.*ACM certificate ARN in us-east-1/,
      ],
      [
        "prod",
        "a custom domain without a certificate",
        { customDomain: "c.example.com" },
        /hostedZoneId: not set; expected a value, because customDomain is set: .*Route 53 hosted zone.*or set certificateArn instead/,
      ],
      [
        "prod",
        "both a hosted zone and a certificate: one truth for the certificate",
        { customDomain: "c.example.com", hostedZoneId: ZONE, certificateArn: CERT },
        /certificateArn: "arn:aws:acm:us-east-1:.*" is not allowed; expected empty while hostedZoneId is set/,
      ],
      [
        "prod",
        "a hosted zone id with its /hostedzone/ prefix",
        { customDomain: "c.example.com", hostedZoneId: `/hostedzone/${ZONE}` },
        /hostedZoneId: "\/hostedzone\/Z0123456789ABCDEFGHIJ".*"Z" then upper-case letters and digits/,
      ],
      [
        "prod",
        "a hosted zone id in lower case",
        { customDomain: "c.example.com", hostedZoneId: ZONE.toLowerCase() },
        /hostedZoneId: "z0123456789abcdefghij" is not allowed/,
      ],
      [
        "prod",
        "an upper-case custom domain with a hosted zone",
        { customDomain: "Events.Example.com", hostedZoneId: ZONE },
        /customDomain: "Events.Example.com".*lower-case DNS host name/,
      ],
      [
        "prod",
        "a wildcard origin together with site origins (credentials)",
        { corsAllowedOrigins: '["*", "https://www.example.com"]' },
        /corsAllowedOrigins: \["\*","https:\/\/www.example.com"\].*CloudFront refuses a wildcard origin together with credentials/,
      ],
      [
        "prod",
        "an origin with a path",
        { corsAllowedOrigins: '["https://www.example.com/shop"]' },
        /corsAllowedOrigins: .*site origins such as "https:\/\/www.example.com".*not allowed: "https:\/\/www.example.com\/shop"/,
      ],
      [
        "prod",
        "an origin without a scheme",
        { corsAllowedOrigins: "www.example.com" },
        /corsAllowedOrigins: \["www.example.com"\].*not allowed: "www.example.com"/,
      ],
      [
        "prod",
        "an empty list of origins",
        { corsAllowedOrigins: "[]" },
        /corsAllowedOrigins: \[\] .*\["\*"\]/,
      ],
      [
        "prod",
        "origins that are not a list of strings",
        { corsAllowedOrigins: "[1, 2]" },
        /corsAllowedOrigins: "\[1, 2\]".*a list of strings/,
      ],
      [
        "prod",
        "migrateLegacyLogBucket in legacy mode, where there is nothing to migrate",
        { loggingMode: "legacy", migrateLegacyLogBucket: "true" },
        /migrateLegacyLogBucket: true is not allowed; expected false while loggingMode is legacy: it only applies to a switch to v2/,
      ],
      [
        "prod",
        "migrateLegacyLogBucket not a boolean",
        { migrateLegacyLogBucket: "yes" },
        /migrateLegacyLogBucket: "yes" is not allowed; expected true or false/,
      ],
      [
        "prod",
        "logTablePrefix in legacy mode, where no table reads a partition path",
        { loggingMode: "legacy", logTablePrefix: "cloudfront/prod/AWSLogs/1/CloudFront/" },
        /logTablePrefix: "cloudfront\/prod\/AWSLogs\/1\/CloudFront\/" is not allowed; expected empty unless loggingMode is v2 and analyticsEnabled is true/,
      ],
      [
        "prod",
        "logTablePrefix not ending in a slash",
        { logTablePrefix: "cloudfront/prod/AWSLogs" },
        /logTablePrefix: "cloudfront\/prod\/AWSLogs" is not allowed; expected empty, or a key prefix ending in "\/"/,
      ],
      [
        "prod",
        "a misspelt key",
        { retentionDay: "30" },
        /cloudfront-collector:retentionDay: "30" is set, but the project declares no such key; did you mean retentionDays\?/,
      ],
    ];
    for (const [stack, what, overrides, pattern] of cases) {
      it(`${what} (${stack})`, async () => {
        await assertRejected(stack, overrides, /Invalid configuration for stack/, pattern);
      });
    }

    it("allows an EU opt-in Region in v2 mode only, which delivers there", async () => {
      const run = await runStack("prod", { "aws:region": "eu-south-1" });
      assert.strictEqual(run.provider.inputs.region, "eu-south-1");
    });

    it("checks the v2-only keys in legacy mode too, so a switch cannot surprise", async () => {
      await assertRejected(
        "dev",
        { logOutputFormat: "parquet", recordFields: "c-ip" },
        /logOutputFormat: "parquet"/,
        /recordFields: "c-ip" .*missing: date, time/,
      );
    });

    it("a boolean that is not one reports itself alone, not what a rule reads into it", async () => {
      const message = await assertRejected("prod", { loggingEnabled: "yes" }, /loggingEnabled: "yes"/);
      assert.strictEqual(message.split("\n").length, 2, message);
      assert.doesNotMatch(message, /analyticsEnabled/);
      // The rule itself still holds where logging is really off.
      await assertRejected("prod", { loggingEnabled: "false" }, /analyticsEnabled: true .*without logs/);
    });

    it("every problem at once, in one message", async () => {
      const message = await assertRejected(
        "prod",
        { priceClass: "x", retentionDays: "0" },
        /priceClass/,
        /retentionDays/,
      );
      assert.strictEqual(message.split("\n").length, 3, message);
    });
  });
});
