// Minimal programs for the replay's custom-domain rules: `domain:case` picks one, `domain:fixed`
// its corrected version. A certificate, its validation record and validation, and a distribution
// with an alias; each case gets one of them wrong.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("domain");
const which = config.require("case");
const fixed = config.getBoolean("fixed") ?? false;
const ALIAS = "events.example.com";

const origin = new aws.s3.Bucket("origin");
const certificate = new aws.acm.Certificate("cert", {
  region: which === "region" && !fixed ? "eu-west-1" : "us-east-1",
  domainName: which === "names" && !fixed ? "other.example.com" : which === "names" ? "*.example.com" : ALIAS,
  validationMethod: "DNS",
});
const option = certificate.domainValidationOptions[0];
const record = new aws.route53.Record("validation", {
  zoneId: "Z0123456789ABCDEFGHIJ",
  name: option.resourceRecordName,
  type: option.resourceRecordType,
  records: [option.resourceRecordValue],
  ttl: 300,
});
const validation = new aws.acm.CertificateValidation("issued", {
  region: certificate.region,
  certificateArn: certificate.arn,
  validationRecordFqdns: [record.fqdn],
});

let viewerCertificate: aws.types.input.cloudfront.DistributionViewerCertificate = {
  acmCertificateArn: validation.certificateArn,
  sslSupportMethod: "sni-only",
  minimumProtocolVersion: "TLSv1.2_2021",
};
if (which === "no-wait" && !fixed)
  viewerCertificate = { ...viewerCertificate, acmCertificateArn: certificate.arn };
if (which === "default-certificate" && !fixed) viewerCertificate = { cloudfrontDefaultCertificate: true };

new aws.cloudfront.Distribution("cdn", {
  enabled: true,
  aliases: [ALIAS],
  origins: [{ originId: "o", domainName: origin.bucketRegionalDomainName }],
  defaultCacheBehavior: {
    targetOriginId: "o",
    viewerProtocolPolicy: "https-only",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
  },
  restrictions: { geoRestriction: { restrictionType: "none" } },
  viewerCertificate,
});
