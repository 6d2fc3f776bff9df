/** The resource types the replay models, by the token the engine registers them with. */
export const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  acl: "aws:s3/bucketAcl:BucketAcl",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  distribution: "aws:cloudfront/distribution:Distribution",
  responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  deliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
  deliveryDestination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
  delivery: "aws:cloudwatch/logDelivery:LogDelivery",
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
} as const;

/**
 * Inputs whose change replaces a resource rather than updating it (the provider's ForceNew /
 * RequiresReplace, terraform-provider-aws schemas). Provider v7's per-resource `region` is one
 * everywhere; every S3 side resource is tied to its `bucket`.
 */
const REPLACE_ON: Record<string, readonly string[]> = {
  [TYPES.bucket]: ["bucket", "bucketPrefix", "objectLockEnabled"],
  [TYPES.object]: ["bucket", "key"],
  [TYPES.deliverySource]: ["name", "logType", "resourceArn"],
  [TYPES.deliveryDestination]: ["name", "outputFormat"],
  [TYPES.delivery]: ["deliverySourceName", "deliveryDestinationArn"],
  [TYPES.certificate]: ["domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm"],
  [TYPES.certificateValidation]: ["certificateArn", "validationRecordFqdns"],
  "aws:glue/catalogDatabase:CatalogDatabase": ["name"],
  "aws:glue/catalogTable:CatalogTable": ["name", "databaseName"],
  "aws:athena/workgroup:Workgroup": ["name"],
  // A named query has no update call: every change replaces it.
  "aws:athena/namedQuery:NamedQuery": ["name", "database", "query", "description", "workgroup"],
};

export function replaceKeys(type: string): readonly string[] {
  const own = REPLACE_ON[type] ?? [];
  const side = type.startsWith("aws:s3/bucket") && type !== TYPES.bucket ? ["bucket"] : [];
  return ["region", ...side, ...own];
}
