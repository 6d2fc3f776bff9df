/**
 * The collector on its own host name, with the DNS in Route 53: an ACM certificate requested in
 * us-east-1 and validated by DNS, and alias records that point the name at the distribution.
 *
 * The engine's order is what makes a first `pulumi up` work: CloudFront refuses an alternate
 * domain name unless the certificate it is given is issued and covers the name, and ACM issues
 * only once its validation record resolves. So the distribution takes its certificate ARN from
 * the CertificateValidation (a property dependency: it waits for ISSUED), the validation names
 * the record it waits for, and the alias records come last, from the distribution's outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** CloudFront reads ACM certificates in us-east-1 only, whatever the stack's Region. */
export const CERTIFICATE_REGION = "us-east-1";

/** ACM's validation CNAME: its TTL matters only while ACM waits for it, and at each renewal. */
const VALIDATION_RECORD_TTL = 300;

export interface DomainCertificateArgs {
  domain: string;
  hostedZoneId: string;
  tags: Record<string, string>;
}

export interface DomainCertificate {
  certificate: aws.acm.Certificate;
  validationRecord: aws.route53.Record;
  validation: aws.acm.CertificateValidation;
  /** The ARN to give CloudFront: known only once ACM has issued the certificate. */
  issuedCertificateArn: pulumi.Output<string>;
}

export function declareDomainCertificate(
  name: string,
  args: DomainCertificateArgs,
  opts: pulumi.CustomResourceOptions,
): DomainCertificate {
  // One name, no SANs: the certificate covers exactly the collector's host. A replacement (a new
  // domain) is created before the old one is deleted, so the distribution moves over first; ACM
  // refuses to delete a certificate a distribution still uses.
  const certificate = new aws.acm.Certificate(
    `${name}-certificate`,
    {
      region: CERTIFICATE_REGION,
      domainName: args.domain,
      validationMethod: "DNS",
      tags: args.tags,
    },
    opts,
  );

  // A certificate for one name has one validation option. ACM derives the record from the name
  // and the account, so a certificate made earlier for the same name (by hand, or by another
  // stack) uses the very same record: allowOverwrite lets this stack take it over instead of
  // failing on "already exists", and writes the value it already holds.
  const option = certificate.domainValidationOptions[0];
  const validationRecord = new aws.route53.Record(
    `${name}-certificate-validation`,
    {
      zoneId: args.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: VALIDATION_RECORD_TTL,
      allowOverwrite: true,
    },
    opts,
  );

  // Waits (up to 75 minutes) until ACM reports ISSUED; naming the record's FQDN lets the
  // provider check that the record it waits for is the one ACM asked for.
  const validation = new aws.acm.CertificateValidation(
    `${name}-certificate-issued`,
    {
      region: CERTIFICATE_REGION,
      certificateArn: certificate.arn,
      validationRecordFqdns: [validationRecord.fqdn],
    },
    opts,
  );

  return {
    certificate,
    validationRecord,
    validation,
    issuedCertificateArn: validation.certificateArn,
  };
}

/** The record types an alias needs: IPv4 and, as the distribution enables IPv6, IPv6. */
export const ALIAS_RECORD_TYPES = ["A", "AAAA"] as const;

export interface AliasRecordsArgs {
  domain: string;
  hostedZoneId: string;
  distribution: aws.cloudfront.Distribution;
}

/**
 * Alias records from the collector's name to the distribution. No allowOverwrite: if the name
 * already has an A or AAAA record (a site, another service), Route 53's "already exists" stops
 * the deploy rather than this stack silently taking the name over.
 */
export function declareAliasRecords(
  name: string,
  args: AliasRecordsArgs,
  opts: pulumi.CustomResourceOptions,
): aws.route53.Record[] {
  return ALIAS_RECORD_TYPES.map(
    (type) =>
      new aws.route53.Record(
        `${name}-alias-${type.toLowerCase()}`,
        {
          zoneId: args.hostedZoneId,
          name: args.domain,
          type,
          aliases: [
            {
              name: args.distribution.domainName,
              zoneId: args.distribution.hostedZoneId,
              // Route 53 cannot evaluate a CloudFront distribution's health.
              evaluateTargetHealth: false,
            },
          ],
        },
        opts,
      ),
  );
}

/** One DNS record of the custom domain: the ones the stack writes, or the ones you must. */
export interface DnsRecord {
  name: string;
  type: string;
  value: string;
  purpose: string;
}

/**
 * What a deployer with DNS outside Route 53 must write: the name as a CNAME to the distribution.
 * The certificate's validation CNAME belongs to the certificate made by hand: ACM shows it
 * (DescribeCertificate), and no Pulumi data source returns it.
 */
export function manualDnsRecords(domain: string, distributionDomain: string): DnsRecord[] {
  return [
    {
      name: domain,
      type: "CNAME",
      value: distributionDomain,
      purpose:
        "points the collector's name at the distribution (a zone apex cannot be a CNAME: use your DNS " +
        "host's ALIAS/ANAME record there)",
    },
  ];
}
