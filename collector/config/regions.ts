/**
 * Region facts the collector depends on, from AWS's CloudFront "Standard logging (legacy)" page.
 * Kept in one place so the config validation and its error messages quote the same lists.
 */

/**
 * Opt-in Regions: CloudFront's legacy standard logging does not deliver to a bucket in any of them, so a
 * log bucket there would silently receive nothing.
 */
export const OPT_IN_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
];

/** EU Regions that CloudFront's legacy standard logging delivers to: where EU event data may live. */
export const EU_LOG_REGIONS: readonly string[] = [
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
];

/** Shape of a commercial or GovCloud Region name, e.g. eu-west-1 or us-gov-west-1. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/**
 * EU opt-in Regions: standard logging v2 delivers to buckets in opt-in Regions (CloudFront's
 * "Send logs to Amazon S3"), so in v2 mode these hold EU event data too.
 */
export const EU_OPT_IN_REGIONS: readonly string[] = ["eu-south-1", "eu-south-2", "eu-central-2"];
