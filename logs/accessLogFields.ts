/**
 * Names CloudFront uses in the `#Fields` header of its standard (legacy) access logs. The reader
 * never relies on their order: each file is read by its own header. The list is here for the
 * fields this project looks at, and for tests and the bench, which write files in today's layout.
 */

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

/** The 33 fields of today's log files, in the order AWS documents them. */
export const CLOUDFRONT_FIELDS: readonly string[] = [
  "date",
  "time",
  "x-edge-location",
  "sc-bytes",
  "c-ip",
  "cs-method",
  "cs(Host)",
  "cs-uri-stem",
  "sc-status",
  "cs(Referer)",
  "cs(User-Agent)",
  "cs-uri-query",
  "cs(Cookie)",
  "x-edge-result-type",
  "x-edge-request-id",
  "x-host-header",
  "cs-protocol",
  "cs-bytes",
  "time-taken",
  "x-forwarded-for",
  "ssl-protocol",
  "ssl-cipher",
  "x-edge-response-result-type",
  "cs-protocol-version",
  "fle-status",
  "fle-encrypted-fields",
  "c-port",
  "time-to-first-byte",
  "x-edge-detailed-result-type",
  "sc-content-type",
  "sc-content-len",
  "sc-range-start",
  "sc-range-end",
];
