import * as assert from "assert";
import { all, get, one, runStack, T } from "../../harness";

const ZONE = "Z0123456789ABCDEFGHIJ";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const DOMAIN = "events.example.com";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";

const withZone = { customDomain: DOMAIN, hostedZoneId: ZONE };

describe("a custom domain with its DNS in Route 53", () => {
  it("requests a DNS-validated certificate for the one name, in us-east-1 whatever the stack's Region", async () => {
    const run = await runStack("prod", withZone);
    const certificate = one(run, CERTIFICATE);
    assert.deepStrictEqual(
      [certificate.inputs.region, certificate.inputs.domainName, certificate.inputs.validationMethod],
      ["us-east-1", DOMAIN, "DNS"],
    );
    assert.strictEqual(certificate.inputs.subjectAlternativeNames, undefined);
    assert.strictEqual(run.settings.config["aws:region"], "eu-west-1");
  });

  it("writes the validation record ACM asks for into the zone, and waits for the certificate on it", async () => {
    const run = await runStack("prod", withZone);
    const certificate = one(run, CERTIFICATE);
    const record = one(run, RECORD, (r) => r.name === "collector-certificate-validation");
    for (const input of ["name", "type", "records"]) {
      assert.deepStrictEqual(record.propertyDependencies[input], [certificate.urn], input);
    }
    assert.deepStrictEqual(
      [record.inputs.zoneId, record.inputs.type, record.inputs.allowOverwrite],
      [ZONE, "CNAME", true],
    );
    assert.match(
      String(record.inputs.name),
      /^<collector-certificate\.validationHash>\.events\.example\.com\.$/,
    );
    const validation = one(run, VALIDATION);
    assert.strictEqual(validation.inputs.region, "us-east-1");
    assert.deepStrictEqual(validation.propertyDependencies.certificateArn, [certificate.urn]);
    assert.deepStrictEqual(validation.propertyDependencies.validationRecordFqdns, [record.urn]);
  });

  it("gives CloudFront the certificate through its validation, so the distribution waits for ISSUED", async () => {
    const run = await runStack("prod", withZone);
    const cdn = one(run, T.distribution);
    const validation = one(run, VALIDATION);
    // A property dependency on the validation, not on the certificate: CloudFront refuses an
    // alias whose certificate is still PENDING_VALIDATION.
    assert.deepStrictEqual(cdn.propertyDependencies.viewerCertificate, [validation.urn]);
    assert.deepStrictEqual(cdn.inputs.aliases, [DOMAIN]);
    assert.deepStrictEqual(get(cdn, "viewerCertificate"), {
      acmCertificateArn: validation.inputs.certificateArn,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    });
  });

  it("points the name at the distribution with alias A and AAAA records, no takeover of existing ones", async () => {
    const run = await runStack("prod", withZone);
    const cdn = one(run, T.distribution);
    const aliases = all(run, RECORD).filter((r) => r.name.startsWith("collector-alias-"));
    assert.deepStrictEqual(aliases.map((r) => r.inputs.type).sort(), ["A", "AAAA"]);
    for (const r of aliases) {
      assert.deepStrictEqual(
        [r.inputs.zoneId, r.inputs.name, r.inputs.allowOverwrite],
        [ZONE, DOMAIN, undefined],
      );
      assert.deepStrictEqual(r.inputs.aliases, [
        { name: "<collector-cdn.domainName>", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false },
      ]);
      assert.deepStrictEqual(r.propertyDependencies.aliases, [cdn.urn]);
    }
  });

  it("parents every domain resource to the component, and uses the name in the outputs", async () => {
    const run = await runStack("prod", withZone);
    const component = one(run, T.component);
    for (const r of [...all(run, CERTIFICATE), ...all(run, VALIDATION), ...all(run, RECORD)]) {
      assert.strictEqual(r.parent, component.urn, r.name);
    }
    assert.strictEqual(run.outputs.collectorDomain, DOMAIN);
    assert.strictEqual(run.outputs.pixelUrl, `https://${DOMAIN}/i`);
    assert.strictEqual((run.outputs.trackerConfig as { endpoint: string }).endpoint, `https://${DOMAIN}`);
    const dns = run.outputs.customDomainDns as {
      managedBy: string;
      records: { name: string; type: string }[];
    };
    assert.strictEqual(dns.managedBy, "stack");
    assert.deepStrictEqual(
      dns.records.map((r) => r.type),
      ["CNAME", "A (alias)", "AAAA (alias)"],
    );
  });
});

describe("a custom domain with the DNS kept elsewhere (certificateArn)", () => {
  it("declares no certificate and no records, and lists the CNAME to write", async () => {
    const run = await runStack("prod", { customDomain: DOMAIN, certificateArn: CERT });
    assert.deepStrictEqual(
      [all(run, CERTIFICATE).length, all(run, VALIDATION).length, all(run, RECORD).length],
      [0, 0, 0],
    );
    assert.strictEqual(get(one(run, T.distribution), "viewerCertificate", "acmCertificateArn"), CERT);
    const dns = run.outputs.customDomainDns as { managedBy: string; records: Record<string, string>[] };
    assert.strictEqual(dns.managedBy, "you");
    assert.deepStrictEqual(
      dns.records.map(({ name, type, value }) => ({ name, type, value })),
      [{ name: DOMAIN, type: "CNAME", value: "<collector-cdn.domainName>" }],
    );
    assert.match(dns.records[0].purpose, /zone apex cannot be a CNAME/);
  });

  it("has no custom domain output without a custom domain", async () => {
    const run = await runStack("prod");
    assert.strictEqual(run.outputs.customDomainDns, undefined);
    assert.strictEqual(all(run, RECORD).length, 0);
  });
});
