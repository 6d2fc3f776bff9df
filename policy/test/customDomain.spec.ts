import * as assert from "assert";

import { customDomainCertificate, customDomainTls, namesCover } from "../policies/customDomain";
import { CERTIFICATE_ARN, DOMAIN, withCustomDomain } from "./customDomainFixtures";
import { collectorStack, ref } from "./fixtures";
import { assertPasses, assertViolates, violations } from "./harness";

const domainStack = (preview: boolean) => withCustomDomain(collectorStack({ mode: "v2", preview }));

describe("certificate names (Node's TLS rules)", () => {
  it("covers the exact name, and one label under a wildcard", () => {
    assert.ok(namesCover(["events.example.com"], "events.example.com"));
    assert.ok(namesCover(["*.example.com"], "events.example.com"));
    assert.ok(!namesCover(["*.example.com"], "a.events.example.com"));
    assert.ok(!namesCover(["*.example.com"], "example.com"));
    assert.ok(!namesCover(["example.com"], "events.example.com"));
    assert.ok(!namesCover([], "events.example.com"));
  });
});

describe("custom-domain-certificate", () => {
  const policy = customDomainCertificate;

  for (const preview of [false, true]) {
    it(`passes the program's Route 53 domain ${preview ? "at preview" : "once deployed"}`, async () => {
      await assertPasses(policy, domainStack(preview));
    });
  }

  it("passes a distribution without aliases on CloudFront's certificate", async () => {
    await assertPasses(policy, collectorStack({ preview: true }));
  });

  it("fails a certificate outside us-east-1, reported on the certificate", async () => {
    const s = domainStack(true);
    delete s.props("collector-certificate").region;
    await assertViolates(policy, s, /is in eu-west-1; CloudFront reads ACM certificates only in us-east-1/, {
      on: "collector-certificate",
    });
    s.get("collector-certificate").providerRegion = "us-east-1";
    s.props("collector-certificate-issued").region = "us-east-1";
    await assertPasses(policy, s);
  });

  it("fails a validation waiting in another Region than the certificate's", async () => {
    const s = domainStack(true);
    s.props("collector-certificate-issued").region = "eu-west-1";
    await assertViolates(policy, s, /CertificateValidation "collector-certificate-issued" is in eu-west-1/, {
      on: "collector-certificate-issued",
    });
  });

  it("fails a certificate whose names do not cover the alias; a wildcard covers one label", async () => {
    const s = domainStack(true);
    s.props("collector-certificate").domainName = "other.example.com";
    await assertViolates(
      policy,
      s,
      /serves events\.example\.com, which .*\(other\.example\.com\) does not cover/,
      {
        on: "collector-cdn",
      },
    );
    s.props("collector-certificate").domainName = "*.example.com";
    await assertPasses(policy, s);
    s.props("collector-cdn").aliases = ["a.events.example.com"];
    await assertViolates(
      policy,
      s,
      /serves a\.events\.example\.com, which .*\(\*\.example\.com\) does not cover/,
    );
    s.props("collector-certificate").subjectAlternativeNames = ["*.events.example.com"];
    await assertPasses(policy, s);
  });

  it("fails a distribution that takes the certificate without waiting for its validation", async () => {
    const s = domainStack(true);
    (s.props("collector-cdn").viewerCertificate as Record<string, unknown>).acmCertificateArn = ref(
      "collector-certificate",
      "arn",
    );
    await assertViolates(
      policy,
      s,
      /without waiting for a CertificateValidation of it: .*PENDING_VALIDATION/,
      {
        on: "collector-cdn",
      },
    );
    // An explicit dependsOn on the validation waits as well.
    s.get("collector-cdn").dependsOn = ["collector-certificate-issued"];
    await assertPasses(policy, s);
  });

  it("fails an alias on CloudFront's default certificate", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-cdn").aliases = [DOMAIN];
    await assertViolates(policy, s, /serves events\.example\.com without an ACM certificate/, {
      on: "collector-cdn",
    });
  });

  it("checks a certificate ARN given by hand for its Region; requireStackCertificate refuses it", async () => {
    const s = collectorStack({ preview: true });
    s.props("collector-cdn").aliases = [DOMAIN];
    const viewer = {
      acmCertificateArn: CERTIFICATE_ARN,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    };
    s.props("collector-cdn").viewerCertificate = viewer;
    await assertPasses(policy, s);
    await assertViolates(policy, s, /which this stack does not declare.*requireStackCertificate/, {
      config: { requireStackCertificate: true },
    });
    viewer.acmCertificateArn = CERTIFICATE_ARN.replace("us-east-1", "eu-west-1");
    await assertViolates(policy, s, /in eu-west-1; CloudFront reads ACM certificates only in us-east-1/);
  });

  it("fails an unknown certificate ARN that traces to no certificate of the stack", async () => {
    const s = domainStack(true);
    s.remove("collector-certificate-issued");
    (s.props("collector-cdn").viewerCertificate as Record<string, unknown>).acmCertificateArn = ref(
      "collector-pixel",
      "arn",
    );
    await assertViolates(
      policy,
      s,
      /acmCertificateArn is unknown at preview and traces to no ACM certificate/,
    );
  });
});

describe("custom-domain-tls", () => {
  const policy = customDomainTls;

  it("passes the program's TLSv1.2_2021, and CloudFront's own certificate without aliases", async () => {
    await assertPasses(policy, domainStack(true));
    await assertPasses(policy, collectorStack({ preview: true }));
  });

  for (const version of ["TLSv1", "TLSv1.1_2016", undefined]) {
    it(`fails minimumProtocolVersion ${version ?? "(not set)"}`, async () => {
      const s = domainStack(true);
      const viewer = s.props("collector-cdn").viewerCertificate as Record<string, unknown>;
      if (version === undefined) delete viewer.minimumProtocolVersion;
      else viewer.minimumProtocolVersion = version;
      await assertViolates(
        policy,
        s,
        /minimumProtocolVersion .*expected TLSv1\.2_2018, .*\(TLS 1\.2 or newer\)/,
        {
          on: "collector-cdn",
        },
      );
    });
  }

  it("raises the floor with its knob", async () => {
    const found = await violations(policy, domainStack(true), { minimumProtocolVersion: "TLSv1.2_2025" });
    assert.strictEqual(found.length, 1);
    assert.match(found[0].message, /"TLSv1\.2_2021"; expected TLSv1\.2_2025, TLSv1\.3_2025/);
  });
});
