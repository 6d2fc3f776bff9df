/**
 * The CloudFront field names the reader looks at. The reader never relies on the order of fields:
 * each file is read by its own header. The full catalogue lives in collector/eventLogs/logFields.ts.
 */
import { LEGACY_FIELD_NAMES } from "../collector/eventLogs/logFields";

export const FIELD = {
  date: "date",
  time: "time",
  method: "cs-method",
  uriStem: "cs-uri-stem",
  status: "sc-status",
  uriQuery: "cs-uri-query",
  edgeResultType: "x-edge-result-type",
  protocol: "cs-protocol",
  host: "cs(Host)",
  contentType: "sc-content-type",
} as const;

/**
 * The 33 fields of legacy log files, in the order AWS documents them: from the collector's field
 * catalogue, the one list the delivery, the Athena table and the reader share.
 */
export const CLOUDFRONT_FIELDS: readonly string[] = LEGACY_FIELD_NAMES;
