// Resource type tokens of @pulumi/aws 7, held as strings: importing @pulumi/aws would make the CLI
// type-check its (very large) typings every time it starts the pack.
//
// Each list holds today's token first, then the deprecated V2 token: aws 7 still ships the V2 classes
// and the new classes carry aliases to them, so a stack may hold either.

export const BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;
export const BUCKET_OBJECT = [
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:s3/bucketObject:BucketObject",
] as const;
export const BUCKET_LOGGING = [
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketLoggingV2:BucketLoggingV2",
] as const;
export const BUCKET_ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"] as const;
export const BUCKET_OWNERSHIP_CONTROLS = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"] as const;
export const BUCKET_PUBLIC_ACCESS_BLOCK = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"] as const;
export const BUCKET_POLICY = ["aws:s3/bucketPolicy:BucketPolicy"] as const;
export const BUCKET_VERSIONING = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
] as const;
export const BUCKET_LIFECYCLE = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
] as const;
export const DISTRIBUTION = ["aws:cloudfront/distribution:Distribution"] as const;
export const RESPONSE_HEADERS_POLICY = [
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
] as const;

/**
 * AWS's managed response headers policies that answer a simple CORS request (CloudFront developer
 * guide, "Use managed response headers policies"): each sends `Access-Control-Allow-Origin: *`
 * without credentials, which fits a tracker sending `credentials: "omit"`.
 */
export const MANAGED_CORS_POLICIES: Readonly<Record<string, string>> = {
  "60669652-455b-4ae9-85a4-c4c02393f86c": "Managed-SimpleCORS",
  "5cc3b908-e619-4b99-88e5-2cf7f45965bd": "Managed-CORS-With-Preflight",
  "e61eb60c-9c35-4d20-a928-2b84e02af89c": "Managed-CORS-and-SecurityHeadersPolicy",
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63": "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
};

// CloudFront standard logging v2: CloudWatch Logs vended-log delivery.

export const LOG_DELIVERY_SOURCE = ["aws:cloudwatch/logDeliverySource:LogDeliverySource"] as const;
export const LOG_DELIVERY_DESTINATION = [
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
] as const;
export const LOG_DELIVERY = ["aws:cloudwatch/logDelivery:LogDelivery"] as const;

/** CloudFront's vended-log delivery resources must be created in this Region. */
export const LOG_DELIVERY_REGION = "us-east-1";

/** The service principal that writes v2 deliveries into S3. */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/** The program's component; every collector resource is its descendant. */
export const COLLECTOR_COMPONENT = "cloudfront-collector:index:Collector";

/** The tag the component puts on its buckets, naming each one's role. */
export const ROLE_TAG = "cloudfront-collector:role";

/**
 * The canonical user CloudFront's standard (legacy) logs are written as: the `awslogsdelivery`
 * account, the value of aws.cloudfront.getLogDeliveryCanonicalUserId() in the commercial partition.
 */
export const LOG_DELIVERY_CANONICAL_USER = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";

/** The key the pixel is served under: trackers request `/i`. */
export const PIXEL_KEY = "i";

export function isOneOf(type: string, tokens: readonly string[]): boolean {
  return tokens.includes(type);
}

export const ATHENA_WORKGROUP = ["aws:athena/workgroup:Workgroup"] as const;
export const GLUE_TABLE = ["aws:glue/catalogTable:CatalogTable"] as const;
export const BUCKET_ENCRYPTION = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
] as const;

// A custom domain: ACM certificates, their DNS validation, Route 53 records.
export const ACM_CERTIFICATE = ["aws:acm/certificate:Certificate"] as const;
export const ACM_CERTIFICATE_VALIDATION = ["aws:acm/certificateValidation:CertificateValidation"] as const;

/** CloudFront reads ACM certificates in this Region only (CloudFront's ViewerCertificate API). */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";
