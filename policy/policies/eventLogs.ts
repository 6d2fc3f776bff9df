// Policies on what the event logs may hold about a person.
import type { StackValidationPolicy } from "@pulumi/policy";

import { LOG_DELIVERY } from "../awsTypes";
import { CollectorGraph, label } from "../collectorGraph";
import { knobs } from "../knobs";
import { arr, isSet, isUnknown, obj, str } from "../values";

/**
 * CloudFront fields that hold the visitor's IP address or cookies (CloudFront "standard-logs-
 * reference"). The pack keeps its own list: policy/ never imports the program.
 */
export const CLIENT_IP_FIELDS = ["c-ip", "x-forwarded-for", "cs(Cookie)"];

export const eventLogsNoClientIp: StackValidationPolicy = {
  name: "event-logs-no-client-ip",
  description:
    "The event logs store no client IP address: no standard logging (legacy) on a distribution, because it " +
    "always writes c-ip, and every standard logging v2 delivery lists its recordFields explicitly (AWS's " +
    "default is every field) without c-ip, x-forwarded-for or cs(Cookie). allowLegacyLogging and " +
    // No level in the text: the CLI prints the level in force, which prod's policy config raises.
    "allowedFields relax it.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      allowLegacyLogging: { type: "boolean", default: false },
      allowedFields: {
        type: "array",
        items: { type: "string", enum: CLIENT_IP_FIELDS },
        uniqueItems: true,
        default: [],
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowLegacyLogging, allowedFields } = knobs(args, {
      allowLegacyLogging: false,
      allowedFields: [] as string[],
    });
    const g = new CollectorGraph(args.resources);
    if (!allowLegacyLogging) {
      for (const d of g.distributions) {
        const logging = d.props.loggingConfig;
        if (isUnknown(logging) || isSet(obj(logging)?.bucket) || isUnknown(obj(logging)?.bucket)) {
          reportViolation(
            `${label(d)} uses standard logging (legacy), which writes every visitor's IP address (c-ip) ` +
              `into the logs. Use loggingMode "v2" with the privacy field set, or relax this policy with ` +
              `allowLegacyLogging: true.`,
            d.urn,
          );
        }
      }
    }
    const forbidden = CLIENT_IP_FIELDS.filter((f) => !allowedFields.includes(f));
    for (const delivery of g.ofType(LOG_DELIVERY)) {
      const fields = delivery.props.recordFields;
      if (isUnknown(fields)) {
        reportViolation(
          `${label(delivery)}: recordFields is unknown at preview, so the pack cannot check it. ` +
            `List the fields literally.`,
          delivery.urn,
        );
        continue;
      }
      const names = arr(fields).map((f) => str(f));
      if (names.length === 0) {
        reportViolation(
          `${label(delivery)} sets no recordFields, so AWS delivers every field, c-ip included. ` +
            `List the fields, without ${forbidden.join(", ")}.`,
          delivery.urn,
        );
        continue;
      }
      const found = forbidden.filter((f) => names.includes(f));
      if (found.length > 0) {
        reportViolation(
          `${label(delivery)} delivers ${found.join(", ")}, which hold the visitor's IP address or cookies. ` +
            `Remove them from recordFields (or allow them with this policy's allowedFields).`,
          delivery.urn,
        );
      }
    }
  },
};
