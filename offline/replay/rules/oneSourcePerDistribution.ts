import { Rule } from "../rule";
import { TYPES } from "../types";

/** A distribution takes one delivery source per log type. */
export const oneSourcePerDistribution: Rule = {
  id: "logs-one-source-per-distribution",
  source:
    "CloudWatch Logs API Reference, PutDeliverySource (ConflictException); " +
    "terraform-provider-aws internal/service/logs/delivery_source.go issues",
  types: [TYPES.deliverySource],
  ops: ["create", "replace"],
  check({ resource, account, refs, step }) {
    const distribution = refs.to(resource, "resourceArn", TYPES.distribution);
    if (!distribution) return undefined;
    const taken = Object.entries(account.deliverySources).some(
      ([urn, s]) =>
        s.distribution === distribution &&
        !(urn === step.urn && step.op === "replace" && step.next?.deleteBeforeReplace),
    );
    if (!taken) return undefined;
    return {
      code: "ConflictException",
      message: "This ResourceId has already been used in another Delivery Source in this account",
    };
  },
};
