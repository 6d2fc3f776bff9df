// Policies on Athena and Glue over the logs: query results are copies of event data, so they get the
// log bucket's guarantees (private, encrypted, in an allowed Region), and the table reads the logs
// where the collector writes them.
import type { StackValidationPolicy } from "@pulumi/policy";

import {
  ATHENA_WORKGROUP,
  BUCKET_ACL,
  BUCKET_ENCRYPTION,
  BUCKET_POLICY,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  GLUE_TABLE,
} from "../awsTypes";
import { CollectorGraph, Node, label } from "../collectorGraph";
import { knobs } from "../knobs";
import { publicAclReasons, publicPolicyStatements } from "../s3Access";
import { Plain, PlainObject, UNKNOWN, Unknown, isUnknown, num, obj, str } from "../values";
import { ALLOWED_REGIONS_SCHEMA, DEFAULT_ALLOWED_REGIONS } from "./logBucket";

/** Athena refuses a cutoff below 10 MB. */
const MIN_CUTOFF_BYTES = 10 * 1024 * 1024;
const ENCRYPTION_OPTIONS = ["SSE_S3", "SSE_KMS", "CSE_KMS"];
const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

function resultConfiguration(workgroup: Node): PlainObject | undefined {
  return obj(obj(workgroup.props.configuration)?.resultConfiguration);
}

/** The bucket name in `s3://bucket/prefix`, UNKNOWN while the location is not known. */
export function s3BucketName(location: Plain | undefined): string | Unknown | undefined {
  if (isUnknown(location)) {
    return UNKNOWN;
  }
  const match = /^s3:\/\/([^/]+)/.exec(str(location) ?? "");
  return match ? match[1] : undefined;
}

/** The stack's buckets that an `s3://` location held at top-level input `prop` of `from` names. */
function locationBuckets(g: CollectorGraph, from: Node, prop: string, location: Plain | undefined): Node[] {
  const name = s3BucketName(location);
  return name === undefined ? [] : g.bucketsReferredTo(from, prop, name);
}

/** The workgroup's results bucket, or a reason it cannot be found among the stack's buckets. */
function resultsBucket(g: CollectorGraph, workgroup: Node): Node | string {
  const location = resultConfiguration(workgroup)?.outputLocation;
  if (location === undefined || location === null) {
    return "sets no resultConfiguration.outputLocation";
  }
  const buckets = locationBuckets(g, workgroup, "configuration", location);
  if (buckets.length !== 1) {
    return `writes results to ${isUnknown(location) ? "a location" : JSON.stringify(location)} that is no bucket of this stack`;
  }
  return buckets[0];
}

export const athenaWorkgroupEnforced: StackValidationPolicy = {
  name: "athena-workgroup-enforced",
  description:
    "Every Athena workgroup enforces its configuration (enforceWorkgroupConfiguration true), so no " +
    "client can send results elsewhere or unencrypted, and caps what one query may scan " +
    "(bytesScannedCutoffPerQuery, at least Athena's minimum of 10 MB).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const wg of g.ofType(ATHENA_WORKGROUP)) {
      const config = obj(wg.props.configuration);
      if (config?.enforceWorkgroupConfiguration !== true) {
        reportViolation(
          `${label(wg)} does not enforce its configuration: a client could override where results go ` +
            `and how they are encrypted. Set configuration.enforceWorkgroupConfiguration to true.`,
          wg.urn,
        );
      }
      const cutoff = num(config?.bytesScannedCutoffPerQuery);
      if (
        !isUnknown(config?.bytesScannedCutoffPerQuery) &&
        (cutoff === undefined || cutoff < MIN_CUTOFF_BYTES)
      ) {
        reportViolation(
          `${label(wg)} has no per-query scan cutoff (bytesScannedCutoffPerQuery ${cutoff ?? "unset"}): ` +
            `one query could scan every log. Set it to at least ${MIN_CUTOFF_BYTES} bytes (10 MB).`,
          wg.urn,
        );
      }
    }
  },
};

export const athenaResultsEncrypted: StackValidationPolicy = {
  name: "athena-results-encrypted",
  description:
    "Athena query results are encrypted: the workgroup's resultConfiguration.encryptionConfiguration " +
    "names SSE_S3, SSE_KMS or CSE_KMS, and its results bucket has a default-encryption configuration.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const wg of g.ofType(ATHENA_WORKGROUP)) {
      const option = obj(resultConfiguration(wg)?.encryptionConfiguration)?.encryptionOption;
      if (!isUnknown(option) && !ENCRYPTION_OPTIONS.includes(str(option) ?? "")) {
        reportViolation(
          `${label(wg)} writes query results unencrypted (encryptionOption ${JSON.stringify(option ?? null)}). ` +
            `Set configuration.resultConfiguration.encryptionConfiguration.encryptionOption to SSE_S3.`,
          wg.urn,
        );
      }
      const bucket = resultsBucket(g, wg);
      if (typeof bucket !== "string" && g.attachedTo(bucket, BUCKET_ENCRYPTION).length === 0) {
        reportViolation(
          `${label(bucket)} holds ${label(wg)}'s query results but declares no default encryption. ` +
            `Add a BucketServerSideEncryptionConfiguration (SSE-S3).`,
          bucket.urn,
        );
      }
    }
  },
};

export const athenaResultsNotPublic: StackValidationPolicy = {
  name: "athena-results-not-public",
  description:
    "Athena query results go to a bucket of this stack that is never public: a BucketPublicAccessBlock " +
    "with all four flags on, no public ACL and no bucket policy that allows everyone. Results copy " +
    "event data, so a location outside the stack, which the pack cannot check, is a violation too.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const wg of g.ofType(ATHENA_WORKGROUP)) {
      const bucket = resultsBucket(g, wg);
      if (typeof bucket === "string") {
        reportViolation(
          `${label(wg)} ${bucket}, so the pack cannot check the results stay private. Point ` +
            `resultConfiguration.outputLocation at a private bucket declared in this stack.`,
          wg.urn,
        );
        continue;
      }
      for (const problem of publicProblems(g, bucket)) {
        reportViolation(`${label(bucket)} holds ${label(wg)}'s query results, but ${problem}.`, bucket.urn);
      }
    }
  },
};

function publicProblems(g: CollectorGraph, bucket: Node): string[] {
  const problems: string[] = [];
  if (g.isPixelBucket(bucket)) {
    problems.push("it is the public pixel bucket: use a bucket of their own");
  }
  const blocks = g.attachedTo(bucket, BUCKET_PUBLIC_ACCESS_BLOCK);
  if (blocks.length === 0) {
    problems.push(`it has no BucketPublicAccessBlock: add one with ${PUBLIC_ACCESS_FLAGS.join(", ")} true`);
  }
  for (const b of blocks) {
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => b.props[f] !== true);
    if (off.length > 0) {
      problems.push(`${label(b)} leaves ${off.join(", ")} not true`);
    }
  }
  for (const holder of [bucket, ...g.attachedTo(bucket, BUCKET_ACL)]) {
    const reasons = publicAclReasons(holder.props);
    if (reasons.length > 0) {
      problems.push(`${label(holder)} makes it public (${reasons.join(", ")})`);
    }
  }
  for (const holder of [bucket, ...g.attachedTo(bucket, BUCKET_POLICY)]) {
    const statements = publicPolicyStatements(holder.props.policy);
    if (!isUnknown(statements) && statements.length > 0) {
      problems.push(`${label(holder)} allows everyone (statement ${statements.join(", ")})`);
    }
  }
  return problems;
}

export const athenaResultsRegionAllowed: StackValidationPolicy = {
  name: "athena-results-region-allowed",
  description:
    "The Athena workgroup and its results bucket are in an allowed Region (by default the EU Regions " +
    "the log bucket may be in), so query results, which copy event data, stay where the logs are. " +
    "A resource's own `region` input wins over its provider's; an undeterminable Region is a violation.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRegions: ALLOWED_REGIONS_SCHEMA,
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowedRegions } = knobs(args, { allowedRegions: DEFAULT_ALLOWED_REGIONS });
    const g = new CollectorGraph(args.resources);
    for (const wg of g.ofType(ATHENA_WORKGROUP)) {
      const bucket = resultsBucket(g, wg);
      for (const n of typeof bucket === "string" ? [wg] : [wg, bucket]) {
        const region = g.regionOf(n);
        if (region === undefined || isUnknown(region) || !allowedRegions.includes(region)) {
          const where = region === undefined ? "not set" : isUnknown(region) ? "unknown" : region;
          reportViolation(
            `${label(n)} (${n === wg ? "the workgroup" : "its query results"}) is in a Region that is ` +
              `${where}, not one of ${allowedRegions.join(", ")}. Keep it in the stack's aws:region, ` +
              `or change the allowedRegions policy config.`,
            n.urn,
          );
        }
      }
    }
  },
};

export const glueTableOnLogBucket: StackValidationPolicy = {
  name: "glue-table-on-log-bucket",
  description:
    "Every Glue table (views aside: they read tables) reads the collector's log bucket: its storageDescriptor.location, and its " +
    "storage.location.template when partitions are projected, are s3:// locations in the bucket " +
    "the distribution logs to (or that the component tagged as its log bucket).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const table of g.ofType(GLUE_TABLE)) {
      // A view (the `events` view over the requests table) reads tables, not files: no location.
      if (table.props.tableType === "VIRTUAL_VIEW") continue;
      const locations: [string, string, Plain | undefined][] = [
        ["storageDescriptor.location", "storageDescriptor", obj(table.props.storageDescriptor)?.location],
      ];
      const template = obj(table.props.parameters)?.["storage.location.template"];
      if (template !== undefined) {
        locations.push(["parameters.storage.location.template", "parameters", template]);
      }
      for (const [what, prop, location] of locations) {
        const buckets = locationBuckets(g, table, prop, location);
        if (!buckets.some((b) => g.isLogBucket(b))) {
          reportViolation(
            `${label(table)}: ${what} ${isUnknown(location) ? "(not known yet)" : JSON.stringify(location ?? null)} ` +
              `is not in the collector's log bucket, so the table would not read the events. ` +
              `Build it from the log bucket's name and log prefix.`,
            table.urn,
          );
        }
      }
    }
  },
};
