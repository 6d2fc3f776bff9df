/**
 * The Athena view `events`: one row per tracker event the edge served, with Snowplow's canonical
 * columns (collector/analytics/canonicalEvent.ts, the one map the reader uses too), computed in
 * SQL from the `requests` table. Every decoding call sits inside try(): Trino raises
 * INVALID_FUNCTION_ARGUMENT on a bad escape or bad base64 (trinodb/trino UrlFunctions.java,
 * VarbinaryFunctions.java), and a logged request can carry either, so a bad value costs that
 * value (NULL), never the query. Pure text: the Glue resource is in eventsViewTable.ts.
 */
import {
  AUTHORITY_HOST_PATTERN,
  CANONICAL_COLUMNS,
  CanonicalType,
  ColumnSource,
  Conversion,
  CONVERSION_PATTERNS,
  EVENT_NAMES,
  mappedParameters,
  URL_PART_GROUP,
  URL_PATTERN,
} from "./canonicalEvent";
import { decodedRequests, trackerParam } from "./requestDecoding";

/** The name the inner query gives the decoded requests. */
const REQUESTS_ALIAS = "requests";

/** The view's name in the stack's Glue database: what a Snowplow user queries. */
export const EVENTS_VIEW = "events";

/** What the view's SQL needs to know about the table it reads. */
export interface RequestsTable {
  /** As FROM names it (the query runs in the table's database). */
  readonly name: string;
  /** The column of a CloudFront field (`cs-uri-query` -> `cs_uri_query`). */
  column(fieldName: string): string;
  /** Whether the delivery logs the field (a v2 delivery may leave `c-country` out). */
  hasField(fieldName: string): boolean;
  /** Partition columns the view passes through, so that date filters still prune files. */
  readonly partitionColumns: readonly { readonly name: string; readonly type: "int" | "string" }[];
}

export interface ViewColumn {
  readonly name: string;
  /** The Trino type (the view definition's), e.g. `timestamp(3)`. */
  readonly type: string;
  /** The Hive type the Glue column is declared with, e.g. `timestamp`. */
  readonly hiveType: string;
}

const HIVE_TYPES: Readonly<Record<CanonicalType | "int" | "string", string>> = {
  varchar: "string",
  "timestamp(3)": "timestamp",
  integer: "int",
  double: "double",
  boolean: "boolean",
  int: "int",
  string: "string",
};

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The inner query's column holding parameter `name`, decoded (e.g. `q_se_ca`). */
const paramColumn = (name: string): string => `q_${name}`;

/**
 * A tracker parameter as the tracker sent it, or NULL when missing, empty or not decodable: the
 * reader helper's one rule for either file encoding (requestDecoding.ts trackerParam, over the
 * `tracker_query` that decodedRequests recovers per file).
 */
const param = (name: string): string => `nullif(${trackerParam(name)}, '')`;

/** A log field's value, decoded (CloudFront percent-encodes spaces and more), or NULL. */
function logFieldValue(t: RequestsTable, field: string): string {
  if (!t.hasField(field)) return "CAST(NULL AS varchar)";
  const column = `CAST(${quote(t.column(field))} AS varchar)`;
  // url_decode reads `+` as a space; CloudFront's values keep a literal `+`, as the reader does.
  return `nullif(try(url_decode(replace(${column}, '+', '%2B'))), '-')`;
}

/**
 * A served tracker event: a GET of the pixel carrying a query string, answered with the pixel
 * (2xx or 304). A redirect or an error is logged too, but the tracker sends that event again
 * (logs/trackerEvent.ts servedPixel is the same rule for the reader).
 */
export function servedEventCondition(t: RequestsTable): string {
  const status = `CAST(${quote(t.column("sc-status"))} AS varchar)`;
  return (
    `${quote(t.column("cs-method"))} = 'GET' AND ${quote(t.column("cs-uri-stem"))} = '/i'\n` +
    `    AND ${quote(t.column("cs-uri-query"))} <> '-'\n` +
    `    AND (${status} LIKE '2__' OR ${status} = '304')`
  );
}

const matches = (value: string, pattern: string) => `regexp_like(${value}, ${literal(pattern)})`;

function converted(value: string, conversion: Conversion): string {
  switch (conversion) {
    case "text":
      return value;
    case "integer":
      return `CASE WHEN ${matches(value, CONVERSION_PATTERNS.integer)} THEN CAST(${value} AS integer) END`;
    case "double":
      return `CASE WHEN ${matches(value, CONVERSION_PATTERNS.double)} THEN CAST(${value} AS double) END`;
    case "epochMillis":
      return (
        `CASE WHEN ${matches(value, CONVERSION_PATTERNS.epochMillis)} ` +
        `THEN try(date_add('millisecond', CAST(${value} AS bigint), TIMESTAMP '1970-01-01 00:00:00.000')) END`
      );
    case "booleanFlag":
      return `CASE ${value} WHEN '1' THEN true WHEN '0' THEN false END`;
  }
}

/** What the reader's base64 check accepts (logs/trackerPayload.ts): either alphabet, padding. */
const BASE64_PATTERN = "^[A-Za-z0-9+/_ -]+={0,2}$";

/** Base64 (either alphabet, padding optional) of UTF-8 JSON, or NULL. */
function jsonFromBase64(value: string): string {
  // A `+` the sender did not percent-encode arrives as a space; put it back, as the reader does.
  const base64 = `CASE WHEN ${matches(value, BASE64_PATTERN)} THEN translate(${value}, '-_ ', '+/+') END`;
  const bytes = `try(from_base64(${base64}))`;
  // from_utf8 replaces bad bytes instead of failing: the round trip tells UTF-8 from not.
  const text = `CASE WHEN to_utf8(from_utf8(${bytes})) = ${bytes} THEN from_utf8(${bytes}) END`;
  return jsonOnly(text);
}

/** The text when it is JSON, else NULL. */
const jsonOnly = (text: string) => `CASE WHEN try(json_parse(${text})) IS NOT NULL THEN ${text} END`;

function columnSql(source: ColumnSource): string {
  const p = (name: string) => paramColumn(name);
  switch (source.kind) {
    case "param": {
      const values = source.params.map((name) => converted(p(name), source.conversion));
      return values.length === 1 ? values[0] : `coalesce(${values.join(", ")})`;
    }
    case "eventName": {
      const cases = Object.entries(EVENT_NAMES).map(
        ([code, name]) => `WHEN ${literal(code)} THEN ${literal(name)}`,
      );
      return `CASE ${p(source.param)} ${cases.join(" ")} END`;
    }
    case "dimension": {
      const group = source.side === "width" ? 1 : 2;
      const side = `regexp_extract(${p(source.param)}, ${literal(CONVERSION_PATTERNS.dimension)}, ${group})`;
      return `try(CAST(${side} AS integer))`;
    }
    case "urlPart": {
      const part = `regexp_extract(${p(source.param)}, ${literal(URL_PATTERN)}, ${URL_PART_GROUP[source.part]})`;
      const cut =
        source.part === "host" ? `regexp_extract(${part}, ${literal(AUTHORITY_HOST_PATTERN)}, 1)` : part;
      return `nullif(${cut}, '')`;
    }
    case "json":
      return (
        `CASE WHEN ${p(source.base64)} IS NOT NULL THEN ${jsonFromBase64(p(source.base64))}\n` +
        `    ELSE ${jsonOnly(p(source.plain))} END`
      );
    case "requestTime":
      return "request_time";
    case "logField":
      return `request_${source.field
        .replace(/[^a-z]+/gi, "_")
        .replace(/_$/, "")
        .toLowerCase()}`;
  }
}

/** The inner query's columns for the log fields the map reads. */
function logColumns(t: RequestsTable): string[] {
  const date = `CAST(${quote(t.column("date"))} AS varchar)`;
  const time = quote(t.column("time"));
  const out = [`try(date_parse(${date} || ' ' || ${time}, '%Y-%m-%d %H:%i:%s')) AS request_time`];
  for (const { source } of CANONICAL_COLUMNS) {
    if (source.kind === "logField") out.push(`${logFieldValue(t, source.field)} AS ${columnSql(source)}`);
  }
  return out;
}

/** The view's columns: the canonical ones, then the table's partition columns. */
export function eventsViewColumns(t: RequestsTable): ViewColumn[] {
  return [
    ...CANONICAL_COLUMNS.map((c) => ({ name: c.name, type: c.type, hiveType: HIVE_TYPES[c.type] })),
    ...t.partitionColumns.map((p) => ({
      name: p.name,
      type: p.type === "int" ? "integer" : "varchar",
      hiveType: HIVE_TYPES[p.type],
    })),
  ];
}

/** The SQL of each canonical column, over the inner query (for specs and `--columns`). */
export function canonicalColumnSql(): { name: string; sql: string }[] {
  return CANONICAL_COLUMNS.map((c) => ({ name: c.name, sql: columnSql(c.source) }));
}

/**
 * The view's query. The inner query cuts each tracker parameter out of the logged query once and
 * keeps only served events; the outer one converts them to the canonical columns.
 */
export function eventsViewSql(t: RequestsTable): string {
  const inner = [
    ...logColumns(t),
    ...mappedParameters().map((name) => `${param(name)} AS ${paramColumn(name)}`),
    ...t.partitionColumns.map((p) => quote(p.name)),
  ];
  const outer = [
    // Each column cast to the type the view definition declares: Athena calls a view stale when
    // its query's types differ from the definition's (a CASE of literals is varchar(16), not varchar).
    ...CANONICAL_COLUMNS.map((c) => `CAST(${columnSql(c.source)} AS ${c.type}) AS ${quote(c.name)}`),
    ...t.partitionColumns.map((p) => quote(p.name)),
  ];
  return [
    "SELECT",
    outer.map((c) => `  ${c}`).join(",\n"),
    "FROM (",
    "  SELECT",
    inner.map((c) => `    ${c}`).join(",\n"),
    "  FROM (",
    decodedRequests(
      { name: t.name, column: t.column },
      t.partitionColumns.map((p) => p.name),
    ).replace(/^/gm, "    "),
    `  ) AS ${quote(REQUESTS_ALIAS)}`,
    `  WHERE ${servedEventCondition(t)}`,
    ")",
  ].join("\n");
}

/** Where a column of the view comes from, in words (for `npm run query -- --columns`). */
export function viewColumnOrigin(name: string): string {
  const column = CANONICAL_COLUMNS.find((c) => c.name === name);
  if (column === undefined) return "partition of the table (filter on it to read fewer files)";
  const { source } = column;
  switch (source.kind) {
    case "param": {
      const names = source.params.map((p) => `\`${p}\``).join(", else ");
      return source.conversion === "text" ? names : `${names} (${CONVERSION_WORDS[source.conversion]})`;
    }
    case "eventName":
      return `\`e\` (${Object.entries(EVENT_NAMES)
        .map(([code, event]) => `${code} ${event}`)
        .join(", ")})`;
    case "dimension":
      return `\`${source.param}\` (${source.side} of <width>x<height>)`;
    case "urlPart":
      return `\`${source.param}\` (its ${source.part}, still percent-encoded)`;
    case "json":
      return `\`${source.base64}\` (base64url), else \`${source.plain}\`: the JSON text, wrapper included`;
    case "requestTime":
      return "the log's date and time (when the edge served the request, UTC)";
    case "logField":
      return `the log field ${source.field} (NULL where the delivery does not log it)`;
  }
}

const CONVERSION_WORDS: Readonly<Record<Conversion, string>> = {
  text: "as sent",
  integer: "an integer",
  double: "a number",
  epochMillis: "milliseconds since 1970, UTC",
  booleanFlag: "1 true, 0 false",
};
