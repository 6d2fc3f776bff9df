/**
 * The replay's ACM rules a custom domain relies on, each on a minimal program AWS would refuse and
 * on its corrected version, then on the collector itself with a Route 53 domain.
 */
import * as assert from "assert";
import * as path from "path";
import { runProgram } from "../../offline/mockRun";
import { replayUp } from "../../offline/replay";
import { runStack } from "../harness";
import { refusalsOf } from "./harness";

const PROGRAM = path.join(__dirname, "programs", "customDomain.ts");
const ROUTE53_DOMAIN = { customDomain: "events.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

function runCase(which: string, fixed = false) {
  const config = { "aws:region": "eu-west-1", "domain:case": which, "domain:fixed": String(fixed) };
  return runProgram({
    settings: { project: "replay-domain", stack: "spec", config },
    computed: "stand-in",
    program: PROGRAM,
  });
}

describe("replay rules of a custom domain, each on a minimal program", () => {
  it("cloudfront-certificate-us-east-1: a certificate requested in the stack's Region", async () => {
    const refused = replayUp(await runCase("region"));
    assert.deepStrictEqual(refusalsOf(refused), ["cdn: InvalidViewerCertificate (earliest, latest)"]);
    assert.strictEqual(refused.refusals[0].rule, "cloudfront-certificate-us-east-1");
    assert.match(
      refused.refusals[0].message,
      /isn't in us-east-1 region.*\(the certificate is in eu-west-1\)/,
    );
    assert.match(refused.refusals[0].source, /ViewerCertificate/);
    assert.deepStrictEqual(refusalsOf(replayUp(await runCase("region", true))), []);
  });

  it("cloudfront-alias-needs-valid-certificate: a distribution that does not wait for the validation", async () => {
    const refused = replayUp(await runCase("no-wait"));
    // Refused when CloudFront is called before ACM has issued the certificate; the engine may
    // also run the validation first, which is why the refusal is in one ordering only.
    assert.deepStrictEqual(refusalsOf(refused), ["cdn: InvalidViewerCertificate (earliest)"]);
    assert.strictEqual(refused.refusals[0].rule, "cloudfront-alias-needs-valid-certificate");
    assert.match(refused.refusals[0].message, /isn't valid.*\(the certificate is PENDING_VALIDATION\)/);
    assert.deepStrictEqual(refusalsOf(replayUp(await runCase("no-wait", true))), []);
  });

  it("cloudfront-alias-needs-valid-certificate: a certificate that does not cover the alias", async () => {
    const refused = replayUp(await runCase("names"));
    assert.deepStrictEqual(refusalsOf(refused), ["cdn: InvalidViewerCertificate (earliest, latest)"]);
    assert.match(
      refused.refusals[0].message,
      /doesn't cover the alternate domain name .*events\.example\.com/,
    );
    // The fixed case: *.example.com covers events.example.com.
    assert.deepStrictEqual(refusalsOf(replayUp(await runCase("names", true))), []);
  });

  it("cloudfront-alias-needs-valid-certificate: an alias on CloudFront's default certificate", async () => {
    const refused = replayUp(await runCase("default-certificate"));
    assert.deepStrictEqual(refusalsOf(refused), ["cdn: InvalidViewerCertificate (earliest, latest)"]);
    assert.match(refused.refusals[0].message, /you must attach a trusted certificate/);
    assert.deepStrictEqual(refusalsOf(replayUp(await runCase("default-certificate", true))), []);
  });
});

describe("the collector with a Route 53 custom domain, replayed", () => {
  for (const [stack, mode] of [
    ["dev", {}],
    ["prod", {}],
    ["prod", { loggingMode: "legacy" }],
  ] as const) {
    const label = `${stack}${"loggingMode" in mode ? " (legacy logging)" : ""}`;
    it(`a first up of ${label} is accepted: the distribution waits for the issued certificate`, async () => {
      const result = replayUp(await runStack(stack, { ...mode, ...ROUTE53_DOMAIN }));
      assert.deepStrictEqual(refusalsOf(result), []);
      assert.strictEqual(result.steps.find((s) => s.step.name === "collector-cdn")?.outcome, "done");
    });
  }

  it("the certificate outside us-east-1 (the enforcement mutation) is refused by CloudFront", async () => {
    const program = path.join(__dirname, "..", "mutations", "certificateOutsideUsEast1.ts");
    const result = replayUp(await runStack("prod", ROUTE53_DOMAIN, "stand-in", program));
    assert.deepStrictEqual(refusalsOf(result), [
      "collector-cdn: InvalidViewerCertificate (earliest, latest)",
    ]);
    assert.strictEqual(result.refusals[0].rule, "cloudfront-certificate-us-east-1");
  });
});
