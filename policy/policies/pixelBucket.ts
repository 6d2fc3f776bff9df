// Policies on the pixel bucket: it serves one public object, `i`, and keeps no request logs of its own.
import type { StackValidationPolicy } from "@pulumi/policy";

import {
  BUCKET_ACL,
  BUCKET_LOGGING,
  BUCKET_OWNERSHIP_CONTROLS,
  BUCKET_POLICY,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  PIXEL_KEY,
} from "../awsTypes";
import { CollectorGraph, Node, label } from "../collectorGraph";
import { publicAclReasons, publicPolicyStatements } from "../s3Access";
import { arr, isUnknown, obj, show } from "../values";

export const pixelBucketNoS3Logging: StackValidationPolicy = {
  name: "pixel-bucket-no-s3-logging",
  description:
    "The pixel bucket has no S3 server access logging: CloudFront's standard logs are the event " +
    "record, and S3 access logs of the origin would duplicate every cache miss at extra cost. " +
    "Checked however logging is declared (BucketLogging or its V2 alias, inline logging on the " +
    "bucket, the pixel bucket as a logging target), following the resource graph so it holds at preview.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    if (g.pixelBuckets.size === 0) {
      const anchor = g.components[0] ?? g.distributions[0];
      if (anchor) {
        reportViolation(
          `${label(anchor)}: the pack cannot find the pixel bucket (no bucket tagged ` +
            `"cloudfront-collector:role: pixel", holding the object "i", or serving as a distribution ` +
            `origin), so it cannot check it. Restore the tag or the pixel object.`,
          anchor.urn,
        );
      }
      return;
    }
    const loggings = g.ofType(BUCKET_LOGGING);
    for (const pixel of g.pixelBuckets.keys()) {
      const inline = inlineLoggingTargets(g, pixel);
      if (inline.declared) {
        reportViolation(
          `${label(pixel)} is the pixel bucket but declares inline S3 access logging. ` +
            `Remove its \`logging\`/\`loggings\` input: CloudFront's logs are the event record.`,
          pixel.urn,
        );
      }
      for (const l of loggings) {
        if (g.refersTo(l, "bucket", l.props.bucket, pixel)) {
          reportViolation(
            `${label(l)} turns on S3 access logging for the pixel bucket ${label(pixel)}. ` +
              `Remove it: CloudFront's logs are the event record.`,
            l.urn,
          );
        } else if (g.refersTo(l, "targetBucket", l.props.targetBucket, pixel)) {
          reportViolation(
            `${label(l)} writes S3 access logs into the pixel bucket ${label(pixel)}, ` +
              `a public origin. Send them to another bucket or remove it.`,
            l.urn,
          );
        } else if (untraceable(g, l) && l.resource.dependencies.includes(pixel.resource)) {
          // At preview the bucket name is unknown and, with no property dependencies to
          // follow, the pack cannot rule the pixel bucket out: fail safe.
          reportViolation(
            `${label(l)} depends on the pixel bucket ${label(pixel)} and its bucket cannot be ` +
              `traced, so it may be logging the pixel bucket. Remove it or point it at a known bucket.`,
            l.urn,
          );
        }
      }
      for (const other of g.buckets) {
        if (other !== pixel && inlineLoggingTargets(g, other).targets.includes(pixel)) {
          reportViolation(
            `${label(other)} sends its S3 access logs into the pixel bucket ${label(pixel)}, ` +
              `a public origin. Point its logging at another bucket.`,
            other.urn,
          );
        }
      }
    }
  },
};

/** Whether a BucketLogging's `bucket` refers to no bucket of the stack by any means. */
function untraceable(g: CollectorGraph, logging: Node): boolean {
  return g.bucketsReferredTo(logging, "bucket", logging.props.bucket).length === 0;
}

/** Inline logging on a bucket: aws 7 Bucket `logging` (object) or legacy BucketV2 `loggings` (list). */
function inlineLoggingTargets(g: CollectorGraph, bucket: Node): { declared: boolean; targets: Node[] } {
  let declared = false;
  const targets: Node[] = [];
  const entries: [string, ReturnType<typeof obj>][] = [
    ["logging", obj(bucket.props.logging)],
    ...arr(bucket.props.loggings).map((l): [string, ReturnType<typeof obj>] => ["loggings", obj(l)]),
  ];
  for (const [prop, entry] of entries) {
    const target = entry?.targetBucket;
    // A computed-but-unset `logging` output is UNKNOWN as a whole at preview; a declared one is
    // an object whose targetBucket is present (possibly itself unknown).
    if (target !== undefined && target !== null && target !== "") {
      declared = true;
      targets.push(...g.bucketsReferredTo(bucket, prop, target));
    }
  }
  for (const prop of ["logging", "loggings"]) {
    const deps = bucket.resource.propertyDependencies[prop];
    if (deps && deps.length > 0) {
      declared = true;
    }
  }
  return { declared, targets: [...new Set(targets)] };
}

export const pixelObjectPublicGif: StackValidationPolicy = {
  name: "pixel-object-public-gif",
  description:
    'The pixel bucket holds the object "i" with Content-Type image/gif and the canned ACL public-read, ' +
    "and the bucket lets that ACL take effect (ownership controls that keep ACLs on, a public access " +
    "block that neither blocks nor ignores public ACLs). Without it trackers get a 403 or a download.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const pixel of g.pixelBuckets.keys()) {
      const pixels = g.objectsIn(pixel).filter((o) => o.props.key === PIXEL_KEY);
      if (pixels.length === 0) {
        reportViolation(
          `${label(pixel)} is the pixel bucket but holds no object "i". ` +
            `Add the 43-byte GIF as a BucketObjectv2 with key "i".`,
          pixel.urn,
        );
      }
      for (const o of pixels) {
        const contentType = o.props.contentType;
        if (contentType !== "image/gif") {
          reportViolation(
            `${label(o)} has Content-Type ${show(contentType)}. ` +
              `Set contentType: "image/gif", or browsers receive it as a download.`,
            o.urn,
          );
        }
        if (o.props.acl !== "public-read") {
          reportViolation(
            `${label(o)} has ACL ${show(o.props.acl)}. Set acl: "public-read" ` +
              `(and nothing wider): CloudFront fetches it anonymously.`,
            o.urn,
          );
        }
      }
      const ownership = g.attachedTo(pixel, BUCKET_OWNERSHIP_CONTROLS);
      const owners = ownership.map((c) => obj(c.props.rule)?.objectOwnership);
      if (ownership.length === 0 || owners.some((o) => o === "BucketOwnerEnforced" || isUnknown(o))) {
        reportViolation(
          `${label(pixel)}: ACLs are off (no BucketOwnershipControls, or BucketOwnerEnforced, which ` +
            `is S3's default), so the pixel's public-read ACL is rejected. Add ownership controls ` +
            `with objectOwnership "BucketOwnerPreferred".`,
          pixel.urn,
        );
      }
      const blocks = g.attachedTo(pixel, BUCKET_PUBLIC_ACCESS_BLOCK);
      if (blocks.length === 0) {
        reportViolation(
          `${label(pixel)} has no BucketPublicAccessBlock, and S3's default for new buckets blocks ` +
            `public ACLs. Add one with blockPublicAcls and ignorePublicAcls false ` +
            `(keep blockPublicPolicy and restrictPublicBuckets true).`,
          pixel.urn,
        );
      }
      for (const b of blocks) {
        for (const flag of ["blockPublicAcls", "ignorePublicAcls"]) {
          if (b.props[flag] !== false) {
            reportViolation(
              `${label(b)} sets ${flag} ${show(b.props[flag])} on the pixel bucket, so the ` +
                `pixel's public-read ACL is refused or ignored. Set ${flag}: false.`,
              b.urn,
            );
          }
        }
      }
    }
  },
};

export const pixelBucketOnlyPixelPublic: StackValidationPolicy = {
  name: "pixel-bucket-only-pixel-public",
  description:
    'Nothing in the pixel bucket is public but the pixel "i": no other object with a public ACL, no ' +
    "public bucket ACL, no bucket policy that allows everyone.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    for (const pixel of g.pixelBuckets.keys()) {
      for (const o of g.objectsIn(pixel)) {
        if (o.props.key === PIXEL_KEY) {
          continue;
        }
        const reasons = publicAclReasons(o.props);
        if (reasons.length > 0) {
          reportViolation(
            `${label(o)} (key ${show(o.props.key)}) in the pixel bucket is public ` +
              `(${reasons.join(", ")}). Only "i" may be public: make it private or move it.`,
            o.urn,
          );
        }
      }
      for (const holder of [pixel, ...g.attachedTo(pixel, BUCKET_ACL)]) {
        const reasons = publicAclReasons(holder.props);
        if (reasons.length > 0) {
          reportViolation(
            `${label(holder)} makes the pixel bucket ${label(pixel)} public ` +
              `(${reasons.join(", ")}), which lets anyone list it. Remove the public grant.`,
            holder.urn,
          );
        }
      }
      for (const holder of [pixel, ...g.attachedTo(pixel, BUCKET_POLICY)]) {
        const statements = publicPolicyStatements(holder.props.policy);
        if (!isUnknown(statements) && statements.length > 0) {
          reportViolation(
            `${label(holder)} has a bucket policy on the pixel bucket that allows everyone ` +
              `(statement ${statements.join(", ")}). Remove it: only the pixel's ACL makes "i" public.`,
            holder.urn,
          );
        }
      }
    }
  },
};
