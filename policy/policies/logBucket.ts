// Policies on the log bucket: CloudFront's standard logs are the collector's only copy of the events.
import type { StackValidationPolicy } from "@pulumi/policy";

import {
  BUCKET_ACL,
  BUCKET_LIFECYCLE,
  BUCKET_OWNERSHIP_CONTROLS,
  BUCKET_POLICY,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  BUCKET_VERSIONING,
  LOG_DELIVERY_CANONICAL_USER,
  isOneOf,
  LOG_DELIVERY_DESTINATION,
  LOG_DELIVERY_SERVICE,
} from "../awsTypes";
import { CollectorGraph, Node, label } from "../collectorGraph";
import { knobs } from "../knobs";
import { publicAclReasons, publicPolicyStatements } from "../s3Access";
import { Plain, PlainObject, Unknown, arr, isUnknown, jsonDocument, num, obj, show, str } from "../values";

const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const logBucketNotPublic: StackValidationPolicy = {
  name: "log-bucket-not-public",
  description:
    "The log bucket is never public: no public ACL (canned or by grant, on the bucket, a BucketAcl or an " +
    "object), a BucketPublicAccessBlock with all four flags on, and no bucket policy that allows everyone. " +
    "The logs hold every visitor's IP address and the full URLs they requested.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const logs of g.logBuckets.keys()) {
      const aclHolders = [logs, ...g.attachedTo(logs, BUCKET_ACL), ...g.objectsIn(logs)];
      for (const holder of aclHolders) {
        const reasons = publicAclReasons(holder.props);
        if (reasons.length > 0) {
          reportViolation(
            `${label(holder)} makes the log bucket ${label(logs)} public (${reasons.join(", ")}). ` +
              `Remove the public ACL or grant.`,
            holder.urn,
          );
        }
      }
      const blocks = g.attachedTo(logs, BUCKET_PUBLIC_ACCESS_BLOCK);
      if (blocks.length === 0) {
        reportViolation(
          `${label(logs)} is the log bucket but has no BucketPublicAccessBlock. ` +
            `Add one with all four flags (${PUBLIC_ACCESS_FLAGS.join(", ")}) true.`,
          logs.urn,
        );
      }
      for (const b of blocks) {
        const off = PUBLIC_ACCESS_FLAGS.filter((f) => b.props[f] !== true);
        if (off.length > 0) {
          reportViolation(
            `${label(b)} on the log bucket leaves ${off.join(", ")} not true. Set all four flags to true.`,
            b.urn,
          );
        }
      }
      for (const holder of [logs, ...g.attachedTo(logs, BUCKET_POLICY)]) {
        const statements = publicPolicyStatements(holder.props.policy);
        if (!isUnknown(statements) && statements.length > 0) {
          reportViolation(
            `${label(holder)} gives the log bucket ${label(logs)} a policy that allows everyone ` +
              `(statement ${statements.join(", ")}). Remove the wildcard principal.`,
            holder.urn,
          );
        }
      }
    }
  },
};

export const logBucketGrantsLogDelivery: StackValidationPolicy = {
  name: "log-bucket-grants-log-delivery",
  description:
    "The log bucket lets CloudFront deliver its logs, under one permission model, never a mix. Legacy: ACLs " +
    "enabled (BucketOwnershipControls BucketOwnerPreferred or ObjectWriter) and a BucketAcl whose " +
    "accessControlPolicy grants FULL_CONTROL to the log-delivery canonical user and to the owner. v2 (a " +
    "log delivery writes to it, or ACLs are disabled): BucketOwnerEnforced, no ACL grant to log delivery, " +
    "no legacy logging into it, and a bucket policy letting delivery.logs.amazonaws.com PutObject with the " +
    "aws:SourceAccount and aws:SourceArn conditions.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const logs of g.logBuckets.keys()) {
      const controls = g.attachedTo(logs, BUCKET_OWNERSHIP_CONTROLS);
      const enforced = controls.filter((c) => obj(c.props.rule)?.objectOwnership === "BucketOwnerEnforced");
      const legacyLogging = g.distributions.filter((d) => g.logTargets(d).includes(logs));
      const v2Destinations = g
        .ofType(LOG_DELIVERY_DESTINATION)
        .filter((d) => g.destinationBuckets(d).includes(logs));
      const granting = g
        .attachedTo(logs, BUCKET_ACL)
        .filter((a) => grantsFullControl(a.props, LOG_DELIVERY_CANONICAL_USER));
      const v2Signals = [...enforced, ...v2Destinations];
      const legacySignals = [...legacyLogging, ...granting];
      if (v2Signals.length > 0 && legacySignals.length > 0) {
        reportViolation(
          `${label(logs)} mixes the two permission models: ${v2Signals.map(label).join(", ")} (v2: ACLs off, ` +
            `bucket policy) with ${legacySignals.map(label).join(", ")} (legacy: ACL grant to CloudFront). ` +
            `Pick one: for v2 remove the distribution's loggingConfig and the log-delivery grant; for legacy ` +
            `remove the log delivery and use BucketOwnerPreferred.`,
          logs.urn,
        );
        continue;
      }
      if (v2Signals.length > 0) {
        checkV2Permissions(g, logs, controls, v2Destinations.length > 0, reportViolation);
      } else {
        checkLegacyPermissions(g, logs, controls, granting, reportViolation);
      }
    }
  },
};

type Report = (message: string, urn?: string) => void;

function checkV2Permissions(
  g: CollectorGraph,
  logs: Node,
  controls: Node[],
  delivered: boolean,
  reportViolation: Report,
): void {
  if (controls.length === 0) {
    reportViolation(
      `${label(logs)} receives standard logging v2 but declares no BucketOwnershipControls. ` +
        `Add one with objectOwnership "BucketOwnerEnforced" (ACLs disabled).`,
      logs.urn,
    );
  }
  for (const c of controls) {
    const ownership = obj(c.props.rule)?.objectOwnership;
    if (ownership !== "BucketOwnerEnforced") {
      reportViolation(
        `${label(c)} sets objectOwnership ${show(ownership)} on a log bucket that receives standard ` +
          `logging v2, which needs no ACLs. Use "BucketOwnerEnforced".`,
        c.urn,
      );
    }
  }
  if (!delivered) {
    return;
  }
  const policies = g.attachedTo(logs, BUCKET_POLICY);
  const verdicts = policies.map((p) => deliveryStatementProblems(p.props.policy));
  if (verdicts.some((v) => isUnknown(v))) {
    return;
  }
  const problems = verdicts as string[][];
  if (!problems.some((p) => p.length === 0)) {
    const why = [...new Set(problems.flat())];
    reportViolation(
      `${label(logs)} receives standard logging v2, but no bucket policy lets ${LOG_DELIVERY_SERVICE} ` +
        `write with the required conditions${why.length > 0 ? ` (${why.join("; ")})` : ""}. Allow ` +
        `s3:PutObject under the prefix with aws:SourceAccount, ArnLike aws:SourceArn ` +
        `arn:aws:logs:us-east-1:<account>:delivery-source:* and s3:x-amz-acl bucket-owner-full-control.`,
      logs.urn,
    );
  }
}

/** What the policy lacks for v2 delivery; empty when a statement grants it; UNKNOWN at preview. */
function deliveryStatementProblems(policy: Plain | undefined): string[] | Unknown {
  const doc = jsonDocument(policy);
  if (isUnknown(doc)) {
    return doc;
  }
  const statement = doc?.Statement;
  const statements: Plain[] = Array.isArray(statement) ? statement : statement ? [statement] : [];
  const problems: string[] = [];
  for (const s of statements) {
    const st = obj(s);
    const services = asList(obj(st?.Principal)?.Service);
    if (st?.Effect !== "Allow" || !services.includes(LOG_DELIVERY_SERVICE)) {
      continue;
    }
    if (!asList(st.Action).some((a) => a === "s3:PutObject" || a === "s3:*")) {
      continue;
    }
    const condition = obj(st.Condition);
    const missing = [
      hasCondition(condition, "aws:SourceAccount") ? "" : "aws:SourceAccount",
      hasCondition(condition, "aws:SourceArn") ? "" : "aws:SourceArn",
      hasCondition(condition, "s3:x-amz-acl") ? "" : "s3:x-amz-acl",
    ].filter(Boolean);
    if (missing.length === 0) {
      return [];
    }
    problems.push(`statement ${str(st.Sid) ?? "(no Sid)"} lacks ${missing.join(", ")}`);
  }
  return problems.length > 0 ? problems : ["no statement allows it s3:PutObject"];
}

function asList(v: Plain | undefined): string[] {
  const list: Plain[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => str(x)).filter((x): x is string => x !== undefined);
}

function hasCondition(condition: PlainObject | undefined, key: string): boolean {
  return Object.values(condition ?? {}).some((operator) => obj(operator)?.[key] !== undefined);
}

function checkLegacyPermissions(
  g: CollectorGraph,
  logs: Node,
  controls: Node[],
  granting: Node[],
  reportViolation: Report,
): void {
  if (controls.length === 0) {
    reportViolation(
      `${label(logs)} has no BucketOwnershipControls, so it gets S3's default ` +
        `BucketOwnerEnforced (ACLs off) and CloudFront cannot deliver logs. ` +
        `Add one with objectOwnership "BucketOwnerPreferred".`,
      logs.urn,
    );
  }
  for (const c of controls) {
    const ownership = obj(c.props.rule)?.objectOwnership;
    if (ownership !== "BucketOwnerPreferred" && ownership !== "ObjectWriter") {
      reportViolation(
        `${label(c)} sets objectOwnership ${show(ownership)} on the log bucket, which turns ACLs ` +
          `off or leaves it unclear, and CloudFront needs them. Use "BucketOwnerPreferred".`,
        c.urn,
      );
    }
  }
  if (granting.length === 0) {
    const canned = g.attachedTo(logs, BUCKET_ACL).find((a) => str(a.props.acl) !== undefined);
    const hint = canned
      ? ` ${label(canned)} uses a canned ACL, which wipes the grant CloudFront adds itself.`
      : "";
    reportViolation(
      `${label(logs)} has no BucketAcl granting FULL_CONTROL to the CloudFront log-delivery ` +
        `canonical user (${LOG_DELIVERY_CANONICAL_USER}).${hint} Declare an accessControlPolicy ` +
        `with that grant and one for the owner.`,
      logs.urn,
    );
  }
  for (const a of granting) {
    const owner = str(obj(obj(a.props.accessControlPolicy)?.owner)?.id);
    if (owner !== undefined && !grantsFullControl(a.props, owner)) {
      reportViolation(
        `${label(a)} grants the log-delivery user but not the bucket owner (${owner}): an ` +
          `explicit ACL replaces the owner's default grant. Add FULL_CONTROL for the owner.`,
        a.urn,
      );
    }
  }
}

function grantsFullControl(aclProps: PlainObject, canonicalUser: string): boolean {
  return arr(obj(aclProps.accessControlPolicy)?.grants).some((grant) => {
    const gr = obj(grant);
    const grantee = obj(gr?.grantee);
    return (
      gr?.permission === "FULL_CONTROL" &&
      grantee?.type === "CanonicalUser" &&
      str(grantee.id)?.toLowerCase() === canonicalUser.toLowerCase()
    );
  });
}

/**
 * The EU regions CloudFront delivers standard logs to. It does not deliver to opt-in regions, which in
 * Europe excludes eu-south-1, eu-south-2 and eu-central-2.
 */
export const DEFAULT_ALLOWED_REGIONS = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1"];

/** The `allowedRegions` knob, shared by every policy that keeps event data in allowed Regions. */
export const ALLOWED_REGIONS_SCHEMA = {
  type: "array",
  items: { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$" },
  minItems: 1,
  uniqueItems: true,
  default: DEFAULT_ALLOWED_REGIONS,
} as const;

export const logBucketRegionAllowed: StackValidationPolicy = {
  name: "log-bucket-region-allowed",
  description:
    "The log bucket is in an allowed region (by default the EU regions CloudFront delivers standard " +
    "logs to: not opt-in regions such as eu-south-1, eu-south-2 and eu-central-2). Its own `region` " +
    "input wins over its provider's; an undeterminable region is a violation.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRegions: ALLOWED_REGIONS_SCHEMA,
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowedRegions } = knobs(args, { allowedRegions: DEFAULT_ALLOWED_REGIONS });
    const g = new CollectorGraph(args.resources);
    for (const logs of g.logBuckets.keys()) {
      const region = g.regionOf(logs);
      if (region === undefined || isUnknown(region)) {
        reportViolation(
          `${label(logs)}: the log bucket's region is ${region === undefined ? "not set" : "unknown"} ` +
            `(no \`region\` input on the bucket, no region on its provider). Set the stack's ` +
            `aws:region config to one of ${allowedRegions.join(", ")}.`,
          logs.urn,
        );
      } else if (!allowedRegions.includes(region)) {
        reportViolation(
          `${label(logs)}: the log bucket is in ${region}, which is not an allowed region ` +
            `(${allowedRegions.join(", ")}). Move it, or change the allowedRegions policy config.`,
          logs.urn,
        );
      }
    }
  },
};

/** What a bucket's enabled lifecycle rules, taken together, do to its logs. */
interface Retention {
  /** The shortest expiration of current objects, in days, among rules covering every log. */
  days?: number;
  /** The shortest noncurrent-version expiration among such rules. */
  noncurrentDays?: number;
}

export const logBucketRetention: StackValidationPolicy = {
  name: "log-bucket-retention",
  description:
    "The log bucket expires its logs: a lifecycle configuration with an enabled rule, covering the " +
    "distribution's log prefix, that expires objects after a number of days and, when the bucket is " +
    "versioned, also expires noncurrent versions. With maxRetentionDays set, days + noncurrentDays " +
    "(how long a log can survive) must not exceed it.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxRetentionDays: { type: "integer", minimum: 1 },
    },
  },
  validateStack: (args, reportViolation) => {
    const { maxRetentionDays } = knobs<{ maxRetentionDays?: number }>(args, {});
    const g = new CollectorGraph(args.resources);
    for (const logs of g.logBuckets.keys()) {
      const prefixes = g.distributions
        .filter((d) => g.logTargets(d).includes(logs))
        .map((d) => obj(d.props.loggingConfig)?.prefix);
      const versioned = isVersioned(g, logs);
      const { days, noncurrentDays } = retention(g, logs, prefixes);
      if (days === undefined || (versioned && noncurrentDays === undefined)) {
        const what = versioned
          ? "expiration.days and noncurrentVersionExpiration.noncurrentDays (it is versioned)"
          : "expiration.days";
        reportViolation(
          `${label(logs)} has no enabled lifecycle rules covering its logs with ${what}, so logs are kept ` +
            `forever. Add a BucketLifecycleConfiguration with such rules, status "Enabled".`,
          logs.urn,
        );
        continue;
      }
      // Under versioning an expired log becomes a noncurrent version and lives on until that expires.
      const lifetime = days + (versioned ? (noncurrentDays ?? 0) : 0);
      if (maxRetentionDays !== undefined && lifetime > maxRetentionDays) {
        reportViolation(
          `${label(logs)} keeps logs up to ${lifetime} days, over the allowed ${maxRetentionDays}. ` +
            `Shorten the lifecycle rule's expiration (and noncurrent expiration).`,
          logs.urn,
        );
      }
    }
  },
};

function isVersioned(g: CollectorGraph, bucket: Node): boolean {
  const inline = obj(bucket.props.versioning)?.enabled === true;
  const declared = g.attachedTo(bucket, BUCKET_VERSIONING).some((v) => {
    const status = obj(v.props.versioningConfiguration)?.status;
    return status !== "Disabled" && status !== undefined && status !== null;
  });
  return inline || declared;
}

/**
 * Retention from the enabled rules that cover every known log prefix of the bucket. S3 applies every
 * matching rule, so expiration and noncurrent expiration may come from different rules.
 */
function retention(g: CollectorGraph, bucket: Node, logPrefixes: (Plain | undefined)[]): Retention {
  const known = logPrefixes.map((p) => str(p) ?? "");
  const covers = (prefix: string) => known.every((p) => p.startsWith(prefix));
  const rules: Retention[] = [];
  for (const config of g.attachedTo(bucket, BUCKET_LIFECYCLE)) {
    for (const r of arr(config.props.rules)) {
      const rule = obj(r);
      if (rule && rule.status === "Enabled" && ruleFilterCovers(rule, covers)) {
        rules.push({
          days: positive(obj(rule.expiration)?.days),
          noncurrentDays: positive(obj(rule.noncurrentVersionExpiration)?.noncurrentDays),
        });
      }
    }
  }
  // Legacy inline rules on the bucket: aws 7 Bucket holds single blocks, BucketV2 one-element lists.
  for (const r of arr(bucket.props.lifecycleRules)) {
    const rule = obj(r);
    if (rule && rule.enabled === true && covers(str(rule.prefix) ?? "") && !hasTags(rule.tags)) {
      rules.push({
        days: positive(single(rule.expiration ?? rule.expirations)?.days),
        noncurrentDays: positive(
          single(rule.noncurrentVersionExpiration ?? rule.noncurrentVersionExpirations)?.days,
        ),
      });
    }
  }
  return {
    days: shortest(rules.map((r) => r.days)),
    noncurrentDays: shortest(rules.map((r) => r.noncurrentDays)),
  };
}

// The provider reports an unset `days` as 0.
function positive(v: Plain | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

function shortest(xs: (number | undefined)[]): number | undefined {
  const known = xs.filter((x): x is number => x !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

// CloudFront's log objects carry no tags and vary in size, so a tag or size filter leaves some uncovered.
function ruleFilterCovers(rule: PlainObject, covers: (prefix: string) => boolean): boolean {
  const filter = obj(rule.filter);
  const and = obj(filter?.and);
  const narrows = (f: PlainObject | undefined) =>
    !!f && (!!num(f.objectSizeGreaterThan) || !!num(f.objectSizeLessThan) || hasTags(f.tags) || !!obj(f.tag));
  if (narrows(filter) || narrows(and)) {
    return false;
  }
  const prefix = str(filter?.prefix) || str(and?.prefix) || str(rule.prefix) || "";
  return covers(prefix);
}

function single(v: Plain | undefined): PlainObject | undefined {
  return obj(v) ?? obj(arr(v)[0]);
}

function hasTags(tags: Plain | undefined): boolean {
  const t = obj(tags);
  return !!t && Object.keys(t).length > 0;
}

export const logBucketProtected: StackValidationPolicy = {
  name: "log-bucket-protected",
  description:
    "The log bucket and every resource attached to it (public access block, ownership controls, ACL, " +
    "encryption, versioning, lifecycle, bucket policy, objects: anything whose `bucket` input names it) " +
    "cannot be deleted by accident: the `protect` resource option is on for each, forceDestroy is off, " +
    "and the public access block sets skipDestroy (requireProtect, default true; a dev stack may set it " +
    "false). Deleting a side resource of a kept bucket removes its lifecycle, public access block or " +
    "policy. retainOnDelete is not visible to policy packs, so the program's own tests check it.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireProtect: { type: "boolean", default: true },
    },
  },
  validateStack: (args, reportViolation) => {
    const { requireProtect } = knobs(args, { requireProtect: true });
    if (!requireProtect) {
      return;
    }
    const g = new CollectorGraph(args.resources);
    for (const logs of g.logBuckets.keys()) {
      if (logs.resource.opts.protect !== true) {
        reportViolation(
          `${label(logs)} is the log bucket but is not protected. Set the resource option ` +
            `protect: true (a dev stack may relax this with requireProtect: false).`,
          logs.urn,
        );
      }
      if (logs.props.forceDestroy === true) {
        reportViolation(
          `${label(logs)} sets forceDestroy, which deletes every log with the bucket. Remove it.`,
          logs.urn,
        );
      }
      for (const side of g.attachments(logs)) {
        if (side.resource.opts.protect !== true) {
          reportViolation(
            `${label(side)} is attached to the log bucket ${label(logs)} but is not protected: ` +
              `deleting it would strip the kept bucket of what it sets. Set the resource option ` +
              `protect: true (and retainOnDelete: true), as on the bucket.`,
            side.urn,
          );
        }
        if (isOneOf(side.type, BUCKET_PUBLIC_ACCESS_BLOCK) && side.props.skipDestroy !== true) {
          reportViolation(
            `${label(side)} guards the log bucket ${label(logs)} but does not set skipDestroy: ` +
              `true, so a delete would remove the bucket's public access block. Set it.`,
            side.urn,
          );
        }
      }
    }
  },
};
