// Policies on the CloudFront distribution: its standard logs are the event stream.
import type { StackValidationPolicy } from "@pulumi/policy";

import { CollectorGraph, Node, label } from "../collectorGraph";
import { knobs } from "../knobs";
import { Plain, arr, isSet, isUnknown, obj, show } from "../values";

export const distributionStandardLogging: StackValidationPolicy = {
  name: "distribution-standard-logging",
  description:
    "The distribution writes standard logs, without cookies, to a bucket of this stack (traced through " +
    "the resource graph, or by bucket domain name when known) that is not the pixel bucket: through its " +
    "loggingConfig (legacy) or a CloudWatch Logs delivery (v2: source -> delivery -> destination). " +
    "allowLoggingDisabled (default false) lets a dev '/dev/null' stack turn logging off; cookies are " +
    "never logged either way.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowLoggingDisabled: { type: "boolean", default: false },
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowLoggingDisabled } = knobs(args, { allowLoggingDisabled: false });
    const g = new CollectorGraph(args.resources);
    for (const d of g.distributions) {
      const config = d.props.loggingConfig;
      if (isUnknown(config)) {
        reportViolation(
          `${label(d)}: loggingConfig is unknown at preview, so the pack cannot check it. ` +
            `Declare loggingConfig as an object literal.`,
          d.urn,
        );
        continue;
      }
      const logging = obj(config);
      const includeCookies = logging?.includeCookies;
      if (logging && includeCookies !== false && includeCookies !== undefined && includeCookies !== null) {
        reportViolation(
          `${label(d)} sets loggingConfig.includeCookies ${show(includeCookies)}: cookies would land in ` +
            `the event logs. Set includeCookies: false.`,
          d.urn,
        );
      }
      const bucket = logging?.bucket;
      const v2Targets = g.v2LogTargets(d);
      for (const t of v2Targets.filter((b) => g.isPixelBucket(b))) {
        reportViolation(
          `${label(d)} delivers its v2 logs into the pixel bucket ${label(t)}, a public origin. ` +
            `Deliver to the separate, private log bucket.`,
          d.urn,
        );
      }
      if ((!logging || (!isSet(bucket) && !isUnknown(bucket))) && v2Targets.length > 0) {
        continue;
      }
      if (!logging || (!isSet(bucket) && !isUnknown(bucket))) {
        if (!allowLoggingDisabled) {
          reportViolation(
            `${label(d)} has standard logging off, so the collector records no events. ` +
              `Deliver v2 logs to the log bucket, or set loggingConfig.bucket to its bucketDomainName ` +
              `(only a dev stack may relax this with allowLoggingDisabled: true).`,
            d.urn,
          );
        }
        continue;
      }
      const targets = g.logTargets(d);
      if (targets.length === 0) {
        reportViolation(
          `${label(d)} logs to ${show(bucket)}, which does not trace to a bucket of this stack. ` +
            `Set loggingConfig.bucket from the log bucket's bucketDomainName output.`,
          d.urn,
        );
      }
      for (const t of targets.filter((b) => g.isPixelBucket(b))) {
        reportViolation(
          `${label(d)} logs into the pixel bucket ${label(t)}, a public origin. ` +
            `Log to the separate, private log bucket.`,
          d.urn,
        );
      }
    }
  },
};

const ALLOWED_METHODS = ["GET", "HEAD"];

export const distributionGetHeadOnly: StackValidationPolicy = {
  name: "distribution-get-head-only",
  description:
    "Every cache behaviour of the distribution (default and ordered) allows GET and HEAD only: the " +
    "collector is a GET pixel, and other methods would reach the origin bucket.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const d of g.distributions) {
      for (const { where, behavior } of behaviors(d)) {
        const methods = behavior?.allowedMethods;
        if (!onlyGetHead(methods)) {
          reportViolation(
            `${label(d)}: ${where} allows ${show(methods)}. Set allowedMethods ` +
              `(and cachedMethods) to ["GET", "HEAD"].`,
            d.urn,
          );
        }
      }
    }
  },
};

function onlyGetHead(methods: Plain | undefined): boolean {
  if (!Array.isArray(methods) || methods.length === 0) {
    return false;
  }
  const set = new Set(methods.map((m) => (typeof m === "string" ? m.toUpperCase() : "?")));
  return set.size === ALLOWED_METHODS.length && ALLOWED_METHODS.every((m) => set.has(m));
}

function behaviors(d: Node): { where: string; behavior: ReturnType<typeof obj> }[] {
  const ordered = arr(d.props.orderedCacheBehaviors).map((b, i) => ({
    where: `orderedCacheBehaviors[${i}] (${show(obj(b)?.pathPattern)})`,
    behavior: obj(b),
  }));
  return [{ where: "defaultCacheBehavior", behavior: obj(d.props.defaultCacheBehavior) }, ...ordered];
}

export const distributionViewerHttps: StackValidationPolicy = {
  name: "distribution-viewer-https",
  description:
    // No level in the text: the CLI prints the level in force, which a config may raise.
    "No cache behaviour uses viewerProtocolPolicy allow-all, under which events (page URLs, " +
    "user ids) cross the network in clear. Prefer redirect-to-https (an HTTP hit is then logged twice) " +
    "or https-only.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const d of g.distributions) {
      for (const { where, behavior } of behaviors(d)) {
        if (behavior?.viewerProtocolPolicy === "allow-all") {
          reportViolation(
            `${label(d)}: ${where} uses viewerProtocolPolicy "allow-all", so events can travel ` +
              `over plain HTTP. Use "redirect-to-https" or "https-only".`,
            d.urn,
          );
        }
      }
    }
  },
};
