/**
 * The catalogue of CloudFront access-log fields: the one list that drives the v2 delivery's
 * `recordFields`, the Athena/Glue table's columns and the reader's sample files.
 *
 * Names, order and meanings follow AWS's CloudFront Developer Guide ("standard-logs-reference",
 * "Log file fields"; "standard-logging", "Access log fields" for the v2-only ones). Athena types
 * follow AWS's Athena DDL for CloudFront standard logs (`date` DATE, byte counts BIGINT, status and
 * port INT, timings as fractional seconds); timings are DOUBLE here, not the DDL's FLOAT, because
 * FLOAT is 32-bit in Athena and loses the millisecond digits of longer timings.
 */

export type AthenaType = "date" | "bigint" | "int" | "double" | "string";

export interface LogField {
  /** The name AWS uses in `#Fields`, in `recordFields` and as the JSON key. */
  readonly name: string;
  /** The Athena/Glue column: lower case, SQL-safe (also the column name in v2 Parquet files). */
  readonly column: string;
  readonly athenaType: AthenaType;
  /** True for the 33 fields legacy logging writes; false for the six that only v2 can deliver. */
  readonly legacy: boolean;
}

/** `cs(Host)` -> `cs_host`, `timestamp(ms)` -> `timestamp_ms`: the mapping AWS's Parquet DDL uses. */
export function athenaColumnName(fieldName: string): string {
  return fieldName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

const field = (name: string, athenaType: AthenaType, legacy: boolean): LogField => ({
  name,
  column: athenaColumnName(name),
  athenaType,
  legacy,
});

/** Every field, the 33 legacy ones in AWS's documented order, then the v2-only ones. */
export const LOG_FIELDS: readonly LogField[] = [
  field("date", "date", true),
  field("time", "string", true),
  field("x-edge-location", "string", true),
  field("sc-bytes", "bigint", true),
  field("c-ip", "string", true),
  field("cs-method", "string", true),
  field("cs(Host)", "string", true),
  field("cs-uri-stem", "string", true),
  field("sc-status", "int", true),
  field("cs(Referer)", "string", true),
  field("cs(User-Agent)", "string", true),
  field("cs-uri-query", "string", true),
  field("cs(Cookie)", "string", true),
  field("x-edge-result-type", "string", true),
  field("x-edge-request-id", "string", true),
  field("x-host-header", "string", true),
  field("cs-protocol", "string", true),
  field("cs-bytes", "bigint", true),
  field("time-taken", "double", true),
  field("x-forwarded-for", "string", true),
  field("ssl-protocol", "string", true),
  field("ssl-cipher", "string", true),
  field("x-edge-response-result-type", "string", true),
  field("cs-protocol-version", "string", true),
  field("fle-status", "string", true),
  field("fle-encrypted-fields", "int", true),
  field("c-port", "int", true),
  field("time-to-first-byte", "double", true),
  field("x-edge-detailed-result-type", "string", true),
  field("sc-content-type", "string", true),
  field("sc-content-len", "bigint", true),
  field("sc-range-start", "bigint", true),
  field("sc-range-end", "bigint", true),
  // v2 only (a subset of the real-time log fields).
  field("timestamp(ms)", "bigint", false),
  field("origin-fbl", "double", false),
  field("origin-lbl", "double", false),
  // 32-bit ASNs exceed INT's range.
  field("asn", "bigint", false),
  field("c-country", "string", false),
  field("cache-behavior-path-pattern", "string", false),
];

const BY_NAME = new Map(LOG_FIELDS.map((f) => [f.name, f]));

export function logField(name: string): LogField | undefined {
  return BY_NAME.get(name);
}

/** The 33 fields of legacy log files, in AWS's order. */
export const LEGACY_FIELD_NAMES: readonly string[] = LOG_FIELDS.filter((f) => f.legacy).map((f) => f.name);
/** The fields only standard logging v2 delivers. */
export const V2_ONLY_FIELD_NAMES: readonly string[] = LOG_FIELDS.filter((f) => !f.legacy).map((f) => f.name);
export const ALL_FIELD_NAMES: readonly string[] = LOG_FIELDS.map((f) => f.name);

/** Fields that hold the visitor's IP address: legacy logging always writes them. */
export const CLIENT_IP_FIELDS: readonly string[] = ["c-ip", "x-forwarded-for"];

/**
 * Fields the privacy set leaves out: the IP address (`c-ip`, and `x-forwarded-for`, which carries
 * the client's own and any proxy's IPs), the client port (with the IP it singles out a device
 * behind a NAT) and the cookies (identifiers of their own).
 */
export const PRIVACY_EXCLUDED_FIELDS: readonly string[] = [...CLIENT_IP_FIELDS, "cs(Cookie)", "c-port"];

/** Fields the policy pack refuses in a prod v2 delivery: the IP and the cookies. */
export const PERSONAL_DATA_FIELDS: readonly string[] = [...CLIENT_IP_FIELDS, "cs(Cookie)"];

/**
 * Fields without which a log line is no tracker event: when and how the pixel was requested, the
 * query string that carries the event, and the status that says whether the edge served it (a
 * redirected or refused hit is sent again by the tracker). An explicit list must keep them.
 */
export const EVENT_FIELDS: readonly string[] = [
  "date",
  "time",
  "cs-method",
  "cs-uri-stem",
  "sc-status",
  "cs-uri-query",
];

export const FIELD_SET_NAMES = ["privacy", "all"] as const;
export type FieldSetName = (typeof FIELD_SET_NAMES)[number];

/** The named field sets, in catalogue order. `privacy` keeps `c-country` for coarse geography. */
export const FIELD_SETS: Readonly<Record<FieldSetName, readonly string[]>> = {
  privacy: ALL_FIELD_NAMES.filter((n) => !PRIVACY_EXCLUDED_FIELDS.includes(n)),
  all: ALL_FIELD_NAMES,
};

/** CloudWatch Logs accepts at most this many record fields in one delivery. */
export const MAX_RECORD_FIELDS = 128;

export type RecordFieldsResult =
  { fields: string[]; problem?: undefined } | { fields?: undefined; problem: string };

/**
 * Resolves the `recordFields` setting: a set name (`privacy`, `all`) or a comma-separated list of
 * AWS field names. Returns the fields in delivery order, or what is wrong with the value.
 */
export function resolveRecordFields(value: string): RecordFieldsResult {
  const trimmed = value.trim();
  if ((FIELD_SET_NAMES as readonly string[]).includes(trimmed)) {
    return { fields: [...FIELD_SETS[trimmed as FieldSetName]] };
  }
  const names = trimmed
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.length === 0) {
    return {
      problem: `${FIELD_SET_NAMES.join(" or ")}, or a comma-separated list of CloudFront field names`,
    };
  }
  const problem = recordFieldsProblem(names);
  return problem === undefined ? { fields: names } : { problem };
}

/** What is wrong with an explicit list of record fields (as "expected ..."), or undefined. */
export function recordFieldsProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) {
    return "a non-empty list of CloudFront field names (without one, AWS delivers every field, c-ip included)";
  }
  const unknown = names.filter((n) => !BY_NAME.has(n));
  if (unknown.length > 0) {
    const hints = unknown.map((n) => {
      const near = ALL_FIELD_NAMES.find((k) => k.toLowerCase() === n.toLowerCase());
      return near ? `${n} (did you mean ${near}?)` : n;
    });
    return `CloudFront field names only (unknown: ${hints.join(", ")}); known: ${ALL_FIELD_NAMES.join(", ")}`;
  }
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) {
    return `each field once (repeated: ${[...new Set(duplicates)].join(", ")})`;
  }
  const missing = EVENT_FIELDS.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    return `a list that keeps the event fields ${EVENT_FIELDS.join(", ")} (missing: ${missing.join(", ")})`;
  }
  if (names.length > MAX_RECORD_FIELDS) {
    return `at most ${MAX_RECORD_FIELDS} fields`;
  }
  return undefined;
}
