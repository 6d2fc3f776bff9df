/** Every rule the replay applies; a new rule is added here (see ../index.ts). */
import { Rule } from "../rule";
import { aclsDisabled } from "./aclsDisabled";
import { aliasNeedsValidCertificate } from "./aliasNeedsValidCertificate";
import { bucketNotEmpty } from "./bucketNotEmpty";
import { certificateInUsEast1 } from "./certificateInUsEast1";
import { corsCredentialsWildcard } from "./corsCredentialsWildcard";
import { corsEmptyHeaders } from "./corsEmptyHeaders";
import { deliveryInUsEast1 } from "./deliveryInUsEast1";
import { deliveryNeedsBucketPolicy } from "./deliveryNeedsBucketPolicy";
import { enforcedWithGrants } from "./enforcedWithGrants";
import { legacyLoggingNeedsAcls } from "./legacyLoggingNeedsAcls";
import { oneSourcePerDistribution } from "./oneSourcePerDistribution";
import { policyInUse } from "./policyInUse";
import { protectedResource } from "./protectedResource";
import { publicAclBlocked } from "./publicAclBlocked";
import { publicPolicyBlocked } from "./publicPolicyBlocked";

export const RULES: readonly Rule[] = [
  protectedResource,
  aclsDisabled,
  publicAclBlocked,
  publicPolicyBlocked,
  enforcedWithGrants,
  bucketNotEmpty,
  legacyLoggingNeedsAcls,
  corsCredentialsWildcard,
  corsEmptyHeaders,
  policyInUse,
  deliveryInUsEast1,
  deliveryNeedsBucketPolicy,
  oneSourcePerDistribution,
  certificateInUsEast1,
  aliasNeedsValidCertificate,
];
