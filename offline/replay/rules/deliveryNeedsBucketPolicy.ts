import { Rule } from "../rule";
import { allowsService } from "../s3Policy";
import { TYPES } from "../types";

/**
 * CreateDelivery to S3 checks that the destination bucket's policy lets
 * delivery.logs.amazonaws.com put objects under the destination path.
 */
export const deliveryNeedsBucketPolicy: Rule = {
  id: "logs-delivery-needs-bucket-policy",
  source: "CloudWatch Logs User Guide, AWS-logs-infrastructure-V2-S3 (Logs sent to Amazon S3: permissions)",
  types: [TYPES.delivery],
  ops: ["create", "replace"],
  check({ resource, account, refs }) {
    const destinationUrn = refs.to(resource, "deliveryDestinationArn", TYPES.deliveryDestination);
    const destination = destinationUrn ? account.deliveryDestinations[destinationUrn] : undefined;
    if (!destination?.bucket || !destination.resourceArn) return undefined;
    const bucket = account.buckets[destination.bucket];
    const probe = `${destination.resourceArn}/probe.log.gz`;
    if (bucket && allowsService(bucket.policy, "delivery.logs.amazonaws.com", "s3:PutObject", probe)) {
      return undefined;
    }
    return {
      code: "AccessDeniedException",
      message:
        "The destination bucket's policy does not allow delivery.logs.amazonaws.com " +
        `to s3:PutObject on ${destination.resourceArn}/*`,
    };
  },
};
