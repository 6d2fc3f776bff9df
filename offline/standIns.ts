/**
 * Stand-ins for values only AWS knows after a deploy, marked `<resource.property>` so that
 * nobody mistakes them for real names, plus the one AWS value that is public and fixed.
 */

/** CloudFront's log-delivery canonical user in the standard partitions (AWS "Standard logging"). */
export const LOG_DELIVERY_CANONICAL_USER_ID =
  "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";

export function standIn(resource: string, property: string): string {
  return `<${resource}.${property}>`;
}

/** The outputs AWS computes for the resource types the collector declares. */
export function computedStandIns(
  type: string,
  name: string,
  region: string,
  inputs: Record<string, unknown> = {},
): Record<string, unknown> {
  const v = (p: string) => standIn(name, p);
  switch (type) {
    case "aws:acm/certificate:Certificate": {
      // ACM's validation CNAME is `_<hash>.<domain>.` with a value under acm-validations.aws.
      const domain = typeof inputs.domainName === "string" ? inputs.domainName : v("domainName");
      return {
        arn: `arn:aws:acm:${String(inputs.region ?? region)}:<account.accountId>:certificate/${v("id")}`,
        status: "PENDING_VALIDATION",
        domainValidationOptions: [
          {
            domainName: domain,
            resourceRecordName: `${v("validationHash")}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `${v("validationTarget")}.acm-validations.aws.`,
          },
        ],
      };
    }
    case "aws:route53/record:Record":
      return { fqdn: typeof inputs.name === "string" ? inputs.name.replace(/\.$/, "") : v("fqdn") };
    case "aws:s3/bucket:Bucket":
      return {
        bucket: v("bucket"),
        arn: `arn:aws:s3:::${v("bucket")}`,
        bucketDomainName: `${v("bucket")}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${v("bucket")}.s3.${region}.amazonaws.com`,
        region,
      };
    case "aws:cloudfront/distribution:Distribution":
      return { domainName: `${v("domainName")}`, arn: v("arn"), hostedZoneId: "Z2FDTNDATAQYW2" };
    case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
      return {
        name: v("name"),
        arn: `arn:aws:logs:us-east-1:<account.accountId>:delivery-source:${v("name")}`,
      };
    case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
      return {
        name: v("name"),
        arn: `arn:aws:logs:us-east-1:<account.accountId>:delivery-destination:${v("name")}`,
      };
    case "aws:cloudwatch/logDelivery:LogDelivery":
      return { arn: `arn:aws:logs:us-east-1:<account.accountId>:delivery:${v("id")}` };
    default:
      return {};
  }
}
