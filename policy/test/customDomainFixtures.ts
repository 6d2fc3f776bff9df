// The program's custom domain with its DNS in Route 53, added to a collector fixture: the
// certificate in us-east-1, its validation record and CertificateValidation, the distribution's
// alias with the certificate taken from the validation, and the alias records.
import { ACCOUNT_ID, StackFixture, T, ref } from "./fixtures";

export const DOMAIN = "events.example.com";
export const ZONE = "Z0123456789ABCDEFGHIJ";
export const CERTIFICATE_ARN = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/12345678-1234-1234-1234-123456789012`;

export function withCustomDomain(s: StackFixture, domain = DOMAIN): StackFixture {
  const parent = "collector";
  s.add({
    type: T.certificate,
    name: "collector-certificate",
    parent,
    props: { region: "us-east-1", domainName: domain, validationMethod: "DNS" },
    computed: { arn: CERTIFICATE_ARN },
  });
  s.add({
    type: T.record,
    name: "collector-certificate-validation",
    parent,
    props: {
      zoneId: ZONE,
      name: ref("collector-certificate", "arn", () => `_a79865eb4cd1a6ab990a45779b4e0b96.${domain}.`),
      type: "CNAME",
      records: [
        ref("collector-certificate", "arn", () => "_424c7224e9b0146f9a8808af955727d0.acm-validations.aws."),
      ],
      ttl: 300,
      allowOverwrite: true,
    },
    computed: { fqdn: `_a79865eb4cd1a6ab990a45779b4e0b96.${domain}` },
  });
  s.add({
    type: T.certificateValidation,
    name: "collector-certificate-issued",
    parent,
    props: {
      region: "us-east-1",
      certificateArn: ref("collector-certificate", "arn"),
      validationRecordFqdns: [ref("collector-certificate-validation", "fqdn")],
    },
  });
  const cdn = s.props("collector-cdn");
  cdn.aliases = [domain];
  cdn.viewerCertificate = {
    acmCertificateArn: ref("collector-certificate-issued", "certificateArn"),
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: "TLSv1.2_2021",
  };
  for (const type of ["A", "AAAA"]) {
    s.add({
      type: T.record,
      name: `collector-alias-${type.toLowerCase()}`,
      parent,
      props: {
        zoneId: ZONE,
        name: domain,
        type,
        aliases: [
          { name: ref("collector-cdn", "domainName"), zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false },
        ],
      },
    });
  }
  return s;
}
