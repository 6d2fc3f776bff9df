/**
 * What each step does to the stand-in account: the API calls the provider makes for the
 * resource type, reduced to the state AWS's refusals depend on. Where the provider's call is
 * surprising, the comment names the provider source (terraform-provider-aws, which @pulumi/aws
 * wraps).
 */
import { RecordedResource } from "../mockRun";
import { LOG_DELIVERY_CANONICAL_USER_ID } from "../standIns";
import {
  Account,
  ALL_USERS,
  AUTHENTICATED_USERS,
  BucketState,
  Grant,
  LOG_DELIVERY_GROUP,
  newBucket,
  ObjectOwnership,
  OWNER_CANONICAL_ID,
  PolicyDocument,
} from "./account";
import { Step } from "./plan";
import { References } from "./references";
import { TYPES } from "./types";

export interface EffectContext {
  refs: References;
  /** The provider's Region, for resources without a `region` input. */
  region: string;
}

/** The grants a canned ACL stands for (S3 User Guide, "Canned ACL"). */
export function cannedGrants(acl: string): Grant[] {
  const owner = { grantee: OWNER_CANONICAL_ID, permission: "FULL_CONTROL" };
  switch (acl) {
    case "public-read":
      return [owner, { grantee: ALL_USERS, permission: "READ" }];
    case "public-read-write":
      return [owner, { grantee: ALL_USERS, permission: "READ" }, { grantee: ALL_USERS, permission: "WRITE" }];
    case "authenticated-read":
      return [owner, { grantee: AUTHENTICATED_USERS, permission: "READ" }];
    case "log-delivery-write":
      return [
        owner,
        { grantee: LOG_DELIVERY_GROUP, permission: "WRITE" },
        { grantee: LOG_DELIVERY_GROUP, permission: "READ_ACP" },
      ];
    default:
      return [owner];
  }
}

interface AclInputs {
  acl?: string;
  accessControlPolicy?: { grants?: { grantee?: { id?: string; uri?: string }; permission?: string }[] };
}

/** The grants a BucketAcl declaration puts on the bucket. */
export function declaredGrants(inputs: AclInputs): Grant[] {
  if (inputs.accessControlPolicy?.grants) {
    return inputs.accessControlPolicy.grants.map((g) => ({
      grantee: g.grantee?.id ?? g.grantee?.uri ?? "",
      permission: g.permission ?? "",
    }));
  }
  return cannedGrants(inputs.acl ?? "private");
}

export function regionOf(resource: RecordedResource, ctx: EffectContext): string {
  return typeof resource.inputs.region === "string" ? resource.inputs.region : ctx.region;
}

function parsePolicy(text: unknown): PolicyDocument | undefined {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch {
    return undefined;
  }
}

/** The bucket a side resource or object is attached to (its `bucket` input). */
export function bucketOf(account: Account, r: RecordedResource, refs: References): BucketState | undefined {
  const urn = refs.to(r, "bucket", TYPES.bucket);
  return urn === undefined ? undefined : account.buckets[urn];
}

function put(account: Account, r: RecordedResource, ctx: EffectContext): void {
  const inputs = r.inputs as Record<string, never>;
  const bucket = bucketOf(account, r, ctx.refs);
  switch (r.type) {
    case TYPES.bucket:
      if (!account.buckets[r.urn]) account.buckets[r.urn] = newBucket();
      return;
    case TYPES.ownership:
      if (bucket) {
        const rule = inputs.rule as { objectOwnership?: ObjectOwnership } | undefined;
        bucket.ownership = rule?.objectOwnership ?? "ObjectWriter";
      }
      return;
    case TYPES.publicAccess:
      if (bucket) {
        bucket.publicAccessBlock = {
          blockPublicAcls: inputs.blockPublicAcls === true,
          ignorePublicAcls: inputs.ignorePublicAcls === true,
          blockPublicPolicy: inputs.blockPublicPolicy === true,
          restrictPublicBuckets: inputs.restrictPublicBuckets === true,
        };
      }
      return;
    case TYPES.acl:
      if (bucket) bucket.grants = declaredGrants(inputs as AclInputs);
      return;
    case TYPES.policy:
      if (bucket) bucket.policy = parsePolicy(inputs.policy);
      return;
    case TYPES.versioning:
      if (bucket) {
        const config = inputs.versioningConfiguration as { status?: string } | undefined;
        bucket.versioning = config?.status === "Enabled";
      }
      return;
    case TYPES.object:
      if (bucket) {
        const key = String(inputs.key);
        if (bucket.objects.includes(key)) {
          if (bucket.versioning) bucket.noncurrentVersions.push(key);
        } else bucket.objects.push(key);
      }
      return;
    case TYPES.distribution: {
      const loggingBucket = inputs.loggingConfig ? ctx.refs.to(r, "loggingConfig", TYPES.bucket) : undefined;
      account.distributions[r.urn] = {
        loggingBucket,
        policies: [
          ...ctx.refs.all(r, "defaultCacheBehavior", TYPES.responseHeadersPolicy),
          ...ctx.refs.all(r, "defaultCacheBehavior", TYPES.cachePolicy),
          ...ctx.refs.all(r, "orderedCacheBehaviors", TYPES.responseHeadersPolicy),
          ...ctx.refs.all(r, "orderedCacheBehaviors", TYPES.cachePolicy),
        ],
      };
      // Enabling standard logging, CloudFront grants its log-delivery account FULL_CONTROL on the
      // bucket ACL (CloudFront Developer Guide, "Permissions required to configure standard
      // logging"); the grant stays when logging is switched off.
      const target = loggingBucket ? account.buckets[loggingBucket] : undefined;
      if (target && target.ownership !== "BucketOwnerEnforced") {
        if (!target.grants.some((g) => g.grantee === LOG_DELIVERY_CANONICAL_USER_ID)) {
          target.grants.push({ grantee: LOG_DELIVERY_CANONICAL_USER_ID, permission: "FULL_CONTROL" });
        }
      }
      return;
    }
    case TYPES.deliverySource:
      account.deliverySources[r.urn] = {
        region: regionOf(r, ctx),
        distribution: ctx.refs.to(r, "resourceArn", TYPES.distribution),
      };
      return;
    case TYPES.deliveryDestination: {
      const config = inputs.deliveryDestinationConfiguration as
        { destinationResourceArn?: string } | undefined;
      account.deliveryDestinations[r.urn] = {
        region: regionOf(r, ctx),
        bucket: ctx.refs.to(r, "deliveryDestinationConfiguration", TYPES.bucket),
        resourceArn: config?.destinationResourceArn,
      };
      return;
    }
    case TYPES.delivery:
      account.deliveries[r.urn] = {
        region: regionOf(r, ctx),
        source: ctx.refs.to(r, "deliverySourceName", TYPES.deliverySource),
        destination: ctx.refs.to(r, "deliveryDestinationArn", TYPES.deliveryDestination),
      };
      return;
    case TYPES.certificate: {
      const sans: unknown[] = Array.isArray(inputs.subjectAlternativeNames)
        ? inputs.subjectAlternativeNames
        : [];
      const names: unknown[] = [inputs.domainName, ...sans];
      account.certificates[r.urn] = {
        region: regionOf(r, ctx),
        names: names.filter((n): n is string => typeof n === "string"),
        status: "PENDING_VALIDATION",
      };
      return;
    }
    case TYPES.certificateValidation: {
      // The provider waits (up to 75 minutes) until ACM reports ISSUED, asking in its own Region
      // (terraform-provider-aws internal/service/acm/certificate_validation.go): a certificate
      // elsewhere is not found there and stays pending.
      const urn = ctx.refs.to(r, "certificateArn", TYPES.certificate);
      if (urn === undefined) return;
      account.certificateValidations[r.urn] = urn;
      const certificate = account.certificates[urn];
      if (certificate && certificate.region === regionOf(r, ctx)) certificate.status = "ISSUED";
      return;
    }
    default:
      account.others[r.urn] = r.type;
  }
}

function remove(account: Account, r: RecordedResource, ctx: EffectContext): void {
  // retainOnDelete: the engine drops the resource from the stack without calling the provider.
  if (r.retainOnDelete) return;
  const inputs = r.inputs as Record<string, never>;
  const bucket = bucketOf(account, r, ctx.refs);
  switch (r.type) {
    case TYPES.bucket:
      delete account.buckets[r.urn];
      return;
    case TYPES.ownership:
      // DeleteBucketOwnershipControls: without controls a bucket behaves as ObjectWriter.
      if (bucket) bucket.ownership = "ObjectWriter";
      return;
    case TYPES.publicAccess:
      // The provider's skipDestroy keeps the block on the bucket.
      if (bucket && inputs.skipDestroy !== true) {
        bucket.publicAccessBlock = {
          blockPublicAcls: false,
          ignorePublicAcls: false,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        };
      }
      return;
    case TYPES.acl:
      // The provider's delete is a no-op: the ACL stays as it was (terraform-provider-aws
      // internal/service/s3/bucket_acl.go, `DeleteWithoutTimeout: schema.NoopContext`).
      return;
    case TYPES.policy:
      if (bucket) delete bucket.policy;
      return;
    case TYPES.versioning:
      // The provider suspends versioning; versions already kept stay.
      if (bucket) bucket.versioning = false;
      return;
    case TYPES.object:
      if (bucket) {
        const key = String(inputs.key);
        bucket.objects = bucket.objects.filter((k) => k !== key);
        if (bucket.versioning) bucket.noncurrentVersions.push(key);
      }
      return;
    case TYPES.distribution:
      delete account.distributions[r.urn];
      return;
    case TYPES.deliverySource:
      delete account.deliverySources[r.urn];
      return;
    case TYPES.deliveryDestination:
      delete account.deliveryDestinations[r.urn];
      return;
    case TYPES.delivery:
      delete account.deliveries[r.urn];
      return;
    case TYPES.certificate:
      delete account.certificates[r.urn];
      return;
    case TYPES.certificateValidation:
      // The provider's delete is a no-op: the certificate stays issued.
      delete account.certificateValidations[r.urn];
      return;
    default:
      delete account.others[r.urn];
  }
}

/** Applies a step's calls to `account` (in place). */
export function applyStep(account: Account, step: Step, ctx: EffectContext): void {
  if (step.op === "delete") {
    if (step.prev) remove(account, step.prev, ctx);
    return;
  }
  if (step.op === "replace" && step.prev) {
    // The old one goes (now, or at the end of the update: the account holds the new one either way).
    remove(account, { ...step.prev, retainOnDelete: false }, ctx);
  }
  if (step.next) put(account, step.next, ctx);
}
