// The pack's policies, in one list, so tests can check the set without starting the pack's server
// (constructing a PolicyPack starts it).
import type { Policies } from "@pulumi/policy";

import { distributionPixelCors } from "./cors";
import {
  athenaResultsEncrypted,
  athenaResultsNotPublic,
  athenaResultsRegionAllowed,
  athenaWorkgroupEnforced,
  glueTableOnLogBucket,
} from "./analytics";
import {
  distributionGetHeadOnly,
  distributionStandardLogging,
  distributionViewerHttps,
} from "./distribution";
import {
  logBucketGrantsLogDelivery,
  logBucketNotPublic,
  logBucketProtected,
  logBucketRegionAllowed,
  logBucketRetention,
} from "./logBucket";
import { customDomainCertificate, customDomainTls } from "./customDomain";
import { eventLogsNoClientIp } from "./eventLogs";
import { logDeliveryInUsEast1, logDeliveryToLogBucket } from "./logDelivery";
import { pixelBucketNoS3Logging, pixelBucketOnlyPixelPublic, pixelObjectPublicGif } from "./pixelBucket";

export const policies: Policies = [
  pixelBucketNoS3Logging,
  pixelObjectPublicGif,
  pixelBucketOnlyPixelPublic,
  logBucketNotPublic,
  logBucketGrantsLogDelivery,
  logBucketRegionAllowed,
  logBucketRetention,
  logBucketProtected,
  distributionStandardLogging,
  distributionGetHeadOnly,
  distributionPixelCors,
  distributionViewerHttps,
  customDomainCertificate,
  customDomainTls,
  athenaWorkgroupEnforced,
  athenaResultsEncrypted,
  athenaResultsNotPublic,
  athenaResultsRegionAllowed,
  glueTableOnLogBucket,
  eventLogsNoClientIp,
  logDeliveryInUsEast1,
  logDeliveryToLogBucket,
];
