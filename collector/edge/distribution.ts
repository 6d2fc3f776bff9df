/**
 * The CloudFront distribution that serves the pixel and logs every request to the log bucket.
 * Each event is a GET whose query string is the payload: it must be logged in full, yet answered
 * from the edge cache, so that no event costs an origin fetch.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PriceClass, ViewerProtocolPolicy } from "../config/args";

export interface DistributionArgs {
  pixelBucket: aws.s3.Bucket;
  /** Where logs go; undefined turns logging off (a dev "/dev/null" pixel). */
  logging?: { bucket: aws.s3.Bucket; prefix: string; dependsOn: pulumi.Resource[] };
  priceClass: PriceClass;
  viewerProtocolPolicy: ViewerProtocolPolicy;
  /** The pixel's CORS answer (collector/edge/cors.ts): tracker 4.x reads every answer with fetch(). */
  responseHeadersPolicy: aws.cloudfront.ResponseHeadersPolicy;
  /**
   * The alternate domain name and its certificate in us-east-1. A certificate this stack requests
   * must come from its CertificateValidation (collector/edge/domain.ts), so that the distribution
   * waits until ACM has issued it: CloudFront refuses an alias with a certificate still pending.
   */
  customDomain?: { domain: string; certificateArn: pulumi.Input<string> };
  tags: Record<string, string>;
}

const ORIGIN_ID = "pixel-bucket";
const ONE_DAY = 86400;
const ONE_YEAR = 31536000;

export function declareDistribution(
  name: string,
  args: DistributionArgs,
  opts: pulumi.CustomResourceOptions,
): aws.cloudfront.Distribution {
  // CloudFront logs the full URL whether or not the query string is in the cache key, so the key
  // holds nothing but the path: every event is an edge hit on the one cached `/i`. A minimum TTL
  // above zero makes the edge cache the pixel despite its no-store header, which is meant for
  // browsers only.
  const cachePolicy = new aws.cloudfront.CachePolicy(
    `${name}-pixel-cache`,
    {
      comment: "Tracking pixel: path-only cache key; query strings are logged, never forwarded",
      minTtl: ONE_DAY,
      defaultTtl: ONE_DAY,
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
        enableAcceptEncodingGzip: false,
        enableAcceptEncodingBrotli: false,
      },
    },
    opts,
  );

  // SNI: every browser a tracker runs in sends it, and a dedicated-IP certificate costs $600 a
  // month. TLSv1.2_2021 is CloudFront's recommended policy: TLS 1.2 and up, forward-secret ciphers.
  const viewerCertificate = args.customDomain
    ? {
        acmCertificateArn: args.customDomain.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      }
    : { cloudfrontDefaultCertificate: true };

  return new aws.cloudfront.Distribution(
    `${name}-cdn`,
    {
      enabled: true,
      comment: "Snowplow-style CloudFront collector",
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: args.priceClass,
      aliases: args.customDomain ? [args.customDomain.domain] : [],
      origins: [
        {
          originId: ORIGIN_ID,
          domainName: args.pixelBucket.bucketRegionalDomainName,
          // An empty identity is CloudFront's "public bucket, no OAI": the pixel is public-read.
          s3OriginConfig: { originAccessIdentity: "" },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: args.viewerProtocolPolicy,
        // Trackers send GETs; anything else would not be an event CloudFront logs as one. No
        // OPTIONS: the tracker's GET without custom headers is a simple CORS request with no
        // preflight, and a preflight is no event (docs/tracker.md, "CORS on the pixel").
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: cachePolicy.id,
        responseHeadersPolicyId: args.responseHeadersPolicy.id,
        compress: false,
      },
      loggingConfig: args.logging
        ? {
            bucket: args.logging.bucket.bucketDomainName,
            prefix: args.logging.prefix,
            // Cookies of the collector's domain are not events and may identify a person.
            includeCookies: false,
          }
        : undefined,
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate,
      tags: args.tags,
    },
    // CloudFront refuses a log bucket whose ACL it cannot write: "The S3 bucket that you specified
    // for CloudFront logs does not enable ACL access".
    { ...opts, dependsOn: args.logging?.dependsOn ?? [] },
  );
}
