import { regionOf } from "../effects";
import { Rule } from "../rule";
import { TYPES } from "../types";

/** CloudFront's vended logs: source, destination and delivery are created in us-east-1 only. */
export const deliveryInUsEast1: Rule = {
  id: "logs-cloudfront-delivery-us-east-1",
  source: "CloudFront Developer Guide, standard-logging (Enable standard logging, CloudWatch API)",
  types: [TYPES.deliverySource, TYPES.deliveryDestination, TYPES.delivery],
  ops: ["create", "update", "replace"],
  check(ctx) {
    const region = regionOf(ctx.resource, ctx);
    if (region === "us-east-1") return undefined;
    return {
      code: "ValidationException",
      message: `CloudFront access-log deliveries must be created in us-east-1, not ${region}`,
    };
  },
};
