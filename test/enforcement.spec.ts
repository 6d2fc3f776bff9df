/**
 * The policy pack enforced offline exactly as the CLI runs it (run-policy-pack + analyzer gRPC),
 * on the real program for both stacks and on mutated programs that must be rejected.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../offline/analyzer";
import { enforce, Verdict } from "../offline/verdict";
import { defaultPolicyConfig } from "../offline/paths";
import { runStack } from "./harness";
import { runPolicy } from "./support/runMain";
import { sharedPack } from "./support/sharedPack";
import { makeTempDir } from "./support/tempDir";

// One pack process serves every case: starting it (ts-node type-check) is the slow part.
let pack: PolicyPackProcess;

/** A custom domain with its DNS in Route 53: the stack requests and validates the certificate. */
const ROUTE53_DOMAIN = { customDomain: "events.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

async function verdictFor(
  stack: string,
  program?: string,
  config = defaultPolicyConfig(stack),
  overrides: Record<string, string> = {},
): Promise<Verdict> {
  const run = await runStack(
    stack,
    overrides,
    "unknown",
    program && path.join(__dirname, "mutations", program),
  );
  return enforce(run, config, pack);
}

function mandatory(verdict: Verdict): string[] {
  return verdict.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName);
}

/** Runs the command's main as `npm run policy` does; exit code and all output. */
async function npmRunPolicy(...args: string[]): Promise<{ code: number | null; output: string }> {
  const { status, stdout, stderr } = await runPolicy(args);
  return { code: status, output: stdout + stderr };
}

describe("policy enforcement, offline, the way the CLI runs the pack", function () {
  this.timeout(90000);
  before(async () => {
    pack = await sharedPack();
  });

  for (const stack of ["dev", "prod"]) {
    it(`passes every mandatory policy on the real program (${stack})`, async () => {
      const verdict = await verdictFor(stack);
      assert.deepStrictEqual(mandatory(verdict), [], JSON.stringify(verdict.diagnostics, null, 2));
      assert.strictEqual(verdict.passed, true);
    });
  }

  it("warns, advisory only, that dev lets events cross the network in clear", async () => {
    const verdict = await verdictFor("dev");
    const advisories = verdict.diagnostics.filter((d) => d.enforcementLevel === "advisory");
    assert.deepStrictEqual(
      advisories.map((d) => d.policyName),
      ["distribution-viewer-https"],
    );
  });

  it("rejects dev when enforced with prod's strict config: logging off, bucket unprotected", async () => {
    const verdict = await verdictFor("dev", undefined, defaultPolicyConfig("prod"));
    assert.ok(mandatory(verdict).includes("distribution-standard-logging"));
    assert.ok(mandatory(verdict).includes("log-bucket-protected"));
  });

  it("rejects S3 logging on the pixel bucket, with a non-zero exit naming pixel-bucket-no-s3-logging", async () => {
    const { code, output } = await npmRunPolicy(
      "--stack",
      "prod",
      "--program",
      path.join("test", "mutations", "pixelBucketLogging.ts"),
    );
    assert.strictEqual(code, 1, output);
    assert.match(
      output,
      /\[mandatory\] pixel-bucket-no-s3-logging\s+aws:s3\/bucketLogging:BucketLogging pixel-access-logging/,
    );
    assert.match(output, /FAILED: \d+ mandatory violation/);
  });

  it("rejects cookies in the access logs", async () => {
    const verdict = await verdictFor("prod", "cookiesLogged.ts");
    assert.deepStrictEqual(mandatory(verdict), ["distribution-standard-logging"]);
    assert.match(verdict.diagnostics[0].message, /[Cc]ookie/);
  });

  it("rejects a public log bucket", async () => {
    const verdict = await verdictFor("prod", "publicLogBucket.ts");
    assert.ok(mandatory(verdict).includes("log-bucket-not-public"), JSON.stringify(mandatory(verdict)));
    assert.strictEqual(verdict.passed, false);
  });

  it("rejects prod with one guard of the log bucket unprotected (its lifecycle configuration)", async () => {
    const verdict = await verdictFor("prod", "unprotectedLogGuard.ts");
    assert.deepStrictEqual(mandatory(verdict), ["log-bucket-protected"]);
    assert.match(
      verdict.diagnostics[0].message,
      /BucketLifecycleConfiguration "collector-logs-retention" is attached to the log bucket .* not protected/,
    );
    assert.strictEqual(verdict.passed, false);
  });

  it("lets the deliberate prod teardown through only with prod-teardown.json", async () => {
    const run = await runStack("prod", { protectLogBucket: "false" }, "unknown");
    const strict = mandatory(await enforce(run, defaultPolicyConfig("prod"), pack));
    assert.deepStrictEqual([...new Set(strict)], ["log-bucket-protected"]);
    const teardown = await enforce(run, defaultPolicyConfig("prod-teardown"), pack);
    assert.deepStrictEqual(mandatory(teardown), []);
    assert.strictEqual(teardown.passed, true);
  });

  it("rejects c-ip added to prod's v2 delivery", async () => {
    const verdict = await verdictFor("prod", "clientIpLogged.ts");
    assert.deepStrictEqual(mandatory(verdict), ["event-logs-no-client-ip"]);
    assert.match(verdict.diagnostics[0].message, /delivers c-ip, which hold the visitor's IP address/);
  });

  it("rejects legacy logging in prod: it always writes the IP", async () => {
    const verdict = await verdictFor("prod", "legacyLogging.ts");
    assert.deepStrictEqual(mandatory(verdict), ["event-logs-no-client-ip"]);
    assert.match(verdict.diagnostics[0].message, /standard logging \(legacy\)/);
  });

  it("rejects delivery resources outside us-east-1, each of the three", async () => {
    const verdict = await verdictFor("prod", "deliveryOutsideUsEast1.ts");
    assert.deepStrictEqual(mandatory(verdict), [
      "log-delivery-in-us-east-1",
      "log-delivery-in-us-east-1",
      "log-delivery-in-us-east-1",
    ]);
    assert.match(verdict.diagnostics[0].message, /is in eu-west-1; .* must be in us-east-1/);
  });

  it("passes prod with a Route 53 custom domain: certificate in us-east-1, validated, TLS 1.2", async () => {
    const verdict = await verdictFor("prod", undefined, defaultPolicyConfig("prod"), ROUTE53_DOMAIN);
    assert.deepStrictEqual(mandatory(verdict), [], JSON.stringify(verdict.diagnostics, null, 2));
  });

  it("rejects a custom domain whose certificate is requested outside us-east-1", async () => {
    const verdict = await verdictFor(
      "prod",
      "certificateOutsideUsEast1.ts",
      defaultPolicyConfig("prod"),
      ROUTE53_DOMAIN,
    );
    assert.deepStrictEqual(mandatory(verdict), ["custom-domain-certificate", "custom-domain-certificate"]);
    const messages = verdict.diagnostics.map((d) => d.message).join("\n");
    assert.match(messages, /Certificate "collector-certificate", the certificate of .* is in eu-west-1/);
    assert.match(messages, /CertificateValidation "collector-certificate-issued" is in eu-west-1/);
    assert.strictEqual(verdict.passed, false);
  });

  it("rejects loosened analytics, one violation per analytics policy", async () => {
    const verdict = await verdictFor("prod", "openAnalytics.ts");
    assert.deepStrictEqual([...new Set(mandatory(verdict))].sort(), [
      "athena-results-encrypted",
      "athena-results-not-public",
      "athena-results-region-allowed",
      "athena-workgroup-enforced",
      "glue-table-on-log-bucket",
    ]);
    const messages = verdict.diagnostics.map((d) => d.message).join("\n");
    assert.match(messages, /does not enforce its configuration/);
    assert.match(messages, /no per-query scan cutoff/);
    assert.match(messages, /leaves blockPublicPolicy not true/);
    assert.match(messages, /\(the workgroup\) is in a Region that is us-east-1/);
    assert.match(
      messages,
      /"s3:\/\/somebody-elses-bucket\/cloudfront\/prod\/" is not in the collector's log bucket/,
    );
  });

  it("starts only a folder the CLI would accept as a nodejs pack", async () => {
    const { dir, cleanup } = makeTempDir("pack");
    try {
      await assert.rejects(PolicyPackProcess.start(dir), /not a policy pack: no PulumiPolicy.yaml/);
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: python\n");
      await assert.rejects(
        PolicyPackProcess.start(dir),
        /runtime "python"; this runner starts nodejs packs only/,
      );
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime:\n  name: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p" }));
      await assert.rejects(PolicyPackProcess.start(dir), /package.json with a version is needed/);
    } finally {
      cleanup();
    }
  });

  // The exit-0 case of the same entry point is `npm test`'s own last step, for both stacks.
  it("exits 2 with a clear error for an unknown stack", async () => {
    const bad = await npmRunPolicy("--stack", "qa");
    assert.strictEqual(bad.code, 2);
    assert.match(bad.output, /unknown stack "qa".*known stacks: dev, prod/);
  });
});
