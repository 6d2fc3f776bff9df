// Policies on CloudFront standard logging v2 (CloudWatch Logs vended-log delivery).
import type { StackValidationPolicy } from "@pulumi/policy";

import {
  BUCKET_POLICY,
  LOG_DELIVERY,
  LOG_DELIVERY_DESTINATION,
  LOG_DELIVERY_REGION,
  LOG_DELIVERY_SOURCE,
} from "../awsTypes";
import { CollectorGraph, label } from "../collectorGraph";
import { isUnknown, obj, show, str } from "../values";

export const logDeliveryInUsEast1: StackValidationPolicy = {
  name: "log-delivery-in-us-east-1",
  description:
    "CloudFront's log delivery source, destination and delivery are created in us-east-1 (their own " +
    "`region` input, else their provider's), as CloudFront's standard logging v2 requires whatever the " +
    "log bucket's Region.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const n of [
      ...g.ofType(LOG_DELIVERY_SOURCE),
      ...g.ofType(LOG_DELIVERY_DESTINATION),
      ...g.ofType(LOG_DELIVERY),
    ]) {
      const region = g.regionOf(n);
      if (region !== LOG_DELIVERY_REGION) {
        const what = region === undefined ? "no region" : isUnknown(region) ? "an unknown region" : region;
        reportViolation(
          `${label(n)} is in ${what}; CloudFront's log delivery resources must be in ` +
            `${LOG_DELIVERY_REGION}. Set its region input to "${LOG_DELIVERY_REGION}".`,
          n.urn,
        );
      }
    }
  },
};

export const logDeliveryToLogBucket: StackValidationPolicy = {
  name: "log-delivery-to-log-bucket",
  description:
    "A standard logging v2 delivery writes to the collector's log bucket (never the pixel bucket), under an " +
    "explicit key prefix in the destination ARN (without one CloudFront adds AWSLogs/... on create and drops " +
    "it on update), and depends on that bucket's policy, which is what lets it write.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const destination of g.ofType(LOG_DELIVERY_DESTINATION)) {
      const arn = obj(destination.props.deliveryDestinationConfiguration)?.destinationResourceArn;
      const buckets = g.destinationBuckets(destination);
      const logBuckets = buckets.filter((b) => g.isLogBucket(b) && !g.isPixelBucket(b));
      if (logBuckets.length === 0) {
        reportViolation(
          `${label(destination)} delivers to ${show(arn)}, which is not the collector's log bucket. ` +
            `Set destinationResourceArn from the log bucket's arn output, with a key prefix.`,
          destination.urn,
        );
      }
      const known = str(arn);
      if (
        known !== undefined &&
        known.startsWith("arn:aws:s3:::") &&
        !/^arn:aws:s3:::[^/]+\/[^/]/.test(known)
      ) {
        reportViolation(
          `${label(destination)}: ${known} carries no key prefix; CloudFront then adds AWSLogs/<account>/` +
            `CloudFront/ on create and drops it on update. Append "/<prefix>" to the bucket ARN.`,
          destination.urn,
        );
      }
      for (const delivery of g
        .ofType(LOG_DELIVERY)
        .filter((d) => g.destinationsOf(d).includes(destination))) {
        const policies = logBuckets.flatMap((b) => g.attachedTo(b, BUCKET_POLICY));
        const waits = policies.some((p) => delivery.resource.dependencies.includes(p.resource));
        if (logBuckets.length > 0 && !waits) {
          reportViolation(
            `${label(delivery)} does not depend on the log bucket's BucketPolicy, so it may be created ` +
              `before delivery.logs.amazonaws.com may write. Add dependsOn: [the bucket policy].`,
            delivery.urn,
          );
        }
      }
    }
  },
};
