/**
 * The stand-in AWS account the replay applies a plan to: only what AWS's refusals depend on, as
 * plain data (copied freely between the views of one step). A new account holds nothing; a new
 * bucket gets today's S3 defaults (since April 2023): object ownership BucketOwnerEnforced, all
 * four Block Public Access flags on, an ACL granting the owner alone (S3 User Guide, "Default
 * settings for new S3 buckets", "Controlling ownership of objects and disabling ACLs").
 */
import { standIn } from "../standIns";

export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** A grantee is a canonical user id or a group URI (`http://acs.amazonaws.com/groups/...`). */
export interface Grant {
  grantee: string;
  permission: string;
}

export interface BucketState {
  ownership: ObjectOwnership;
  publicAccessBlock: PublicAccessBlock;
  grants: Grant[];
  /** The bucket policy document, parsed; undefined when the bucket has none. */
  policy?: PolicyDocument;
  /** Current object keys. */
  objects: string[];
  /** Keys of object versions kept by versioning after a delete or an overwrite. */
  noncurrentVersions: string[];
  versioning: boolean;
}

export interface PolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Statement?: PolicyStatement[] | PolicyStatement;
}

export interface DistributionState {
  /** URN of the bucket legacy standard logging writes to, if any. */
  loggingBucket?: string;
  /** URNs of the policies its cache behaviors use (a policy in use cannot be deleted). */
  policies: string[];
}

export interface DeliverySourceState {
  region: string;
  /** URN of the distribution whose logs it sources. */
  distribution?: string;
}

export interface DeliveryDestinationState {
  region: string;
  bucket?: string;
  /** `arn:aws:s3:::bucket/prefix`, as declared. */
  resourceArn?: string;
}

export interface DeliveryState {
  region: string;
  source?: string;
  destination?: string;
}

export interface CertificateState {
  region: string;
  /** The names it is requested for: its domain name and subject alternative names. */
  names: string[];
  /** ACM's status: a requested certificate is PENDING_VALIDATION until its validation has run. */
  status: "PENDING_VALIDATION" | "ISSUED";
}

/** Every AWS object the replay models, keyed by the URN of the resource that made it. */
export interface Account {
  buckets: Record<string, BucketState>;
  distributions: Record<string, DistributionState>;
  deliverySources: Record<string, DeliverySourceState>;
  deliveryDestinations: Record<string, DeliveryDestinationState>;
  deliveries: Record<string, DeliveryState>;
  certificates: Record<string, CertificateState>;
  /** A CertificateValidation (it creates nothing in AWS): the URN of the certificate it waited for. */
  certificateValidations: Record<string, string>;
  /** Anything else the program declares, by URN: its type (exists or not is all that counts). */
  others: Record<string, string>;
}

/** The account's own canonical user: the owner of every bucket (the offline run's stand-in). */
export const OWNER_CANONICAL_ID = standIn("account", "canonicalUserId");

export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
export const LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery";

export function newAccount(): Account {
  return {
    buckets: {},
    distributions: {},
    deliverySources: {},
    deliveryDestinations: {},
    deliveries: {},
    certificates: {},
    certificateValidations: {},
    others: {},
  };
}

export function newBucket(): BucketState {
  return {
    ownership: "BucketOwnerEnforced",
    publicAccessBlock: {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    grants: [{ grantee: OWNER_CANONICAL_ID, permission: "FULL_CONTROL" }],
    objects: [],
    noncurrentVersions: [],
    versioning: false,
  };
}

export function copyAccount(account: Account): Account {
  return structuredClone(account);
}
