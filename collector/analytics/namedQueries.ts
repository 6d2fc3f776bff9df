/**
 * The SQL a Snowplow user wants on day one, written once: the component saves it as Athena named
 * queries and `npm run query -- --named NAME` runs it. Every column comes from the table's own
 * description (the field catalogue), so a renamed column changes the SQL with it.
 *
 * The dialect is Athena engine version 3 (Trino). Tracker events are GETs of `/i` whose query
 * string is the event: `e` its type, `eid` its id, `url` the page, `ue_px`/`ue_pr` the
 * self-describing event (base64url or plain JSON) and `cx`/`co` its contexts.
 */
import { decodedRequests, trackerParam } from "./requestDecoding";

/** What the SQL needs to know about the events table. */
export interface EventsTable {
  /** The table, as FROM names it (e.g. `events`; the query runs in the table's database). */
  readonly name: string;
  /** The column holding a CloudFront field, by its AWS name (`cs-uri-query`). */
  column(fieldName: string): string;
  /**
   * The date partitions, if the table has them: their columns and whether they are compared as
   * numbers (`int`) or as zero-padded text (`string`). Without them the table is scanned whole.
   */
  readonly datePartitions?: {
    readonly year: PartitionColumn;
    readonly month: PartitionColumn;
    readonly day: PartitionColumn;
  };
  /** Every partition key of the table, in path order; none for a table without partitions. */
  readonly partitionColumns?: readonly string[];
}

export interface PartitionColumn {
  readonly column: string;
  /** `int` partitions compare with year()/month()/day(); `string` ones with a formatted date. */
  readonly type: "int" | "string";
}

export interface NamedQuery {
  /** The name `--named` takes and the Athena named query carries. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  /** What each `?` in the SQL stands for, in order (Athena execution parameters). */
  readonly parameters: readonly string[];
}

/** The CloudFront fields the queries read: every one is in every logging mode's field set. */
export const QUERY_FIELDS = ["date", "time", "cs-method", "cs-uri-stem", "cs-uri-query"] as const;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * A tracker parameter, decoded as the tracker sent it, from the query string decodedRequests
 * recovered for the row's file encoding (collector/analytics/requestDecoding.ts); NULL when it
 * does not decode.
 */
const param = (_t: EventsTable, name: string) => trackerParam(name);

/** The request's time (UTC) from the log's `date` and `time` fields. */
const requestTime = (t: EventsTable) =>
  `try(date_parse(CAST(${quote(t.column("date"))} AS varchar) || ' ' || ${quote(t.column("time"))}, ` +
  `'%Y-%m-%d %H:%i:%s'))`;

/**
 * A tracker event: a GET of the pixel carrying a query string, answered with the pixel (2xx or
 * 304). A redirect or an error is logged too, but the tracker sends that event again, so it would
 * be counted twice (logs/trackerEvent.ts servedPixel is the same rule for the reader).
 */
const isEvent = (t: EventsTable) => {
  const status = `CAST(${quote(t.column("sc-status"))} AS varchar)`;
  return (
    `${quote(t.column("cs-method"))} = 'GET' AND ${quote(t.column("cs-uri-stem"))} = '/i'\n` +
    `  AND ${quote(t.column("cs-uri-query"))} <> '-'\n` +
    `  AND (${status} LIKE '2__' OR ${status} = '304')`
  );
};

const DATE_PARTS = { year: "%Y", month: "%m", day: "%d" } as const;

function partitionTerm(p: PartitionColumn, part: keyof typeof DATE_PARTS, day: string): string {
  const value = p.type === "int" ? `${part}(${day})` : `date_format(${day}, '${DATE_PARTS[part]}')`;
  return `${quote(p.column)} = ${value}`;
}

/**
 * Limits a query to the last `days` days (UTC, today included). On a partitioned table the
 * partition terms, one (year, month, day) per day, let Athena's partition projection read only
 * those days' files; the `date` term is what limits the rows on a table without partitions,
 * which is still read whole.
 */
function lastDays(t: EventsTable, days: number, indent = ""): string {
  // CAST: the column is a DATE in text tables and a string in JSON and Parquet ones.
  const dateTerm = `try(CAST(${quote(t.column("date"))} AS date)) > current_date - INTERVAL '${days}' DAY`;
  const parts = t.datePartitions;
  if (parts === undefined) return dateTerm;
  const dayTerms = Array.from({ length: days }, (_, back) => {
    const d = back === 0 ? "current_date" : `current_date - INTERVAL '${back}' DAY`;
    return [
      `(${partitionTerm(parts.year, "year", d)}`,
      `  AND ${partitionTerm(parts.month, "month", d)}`,
      `  AND ${partitionTerm(parts.day, "day", d)})`,
    ]
      .map((line) => `${indent}    ${line}`)
      .join("\n");
  });
  return `${dateTerm}\n${indent}  AND (\n${dayTerms.join(`\n${indent}    OR\n`)}\n${indent}  )`;
}

/** The named queries over `t`, in the order they are listed. */
export function namedQueries(t: EventsTable): NamedQuery[] {
  // Requests as the tracker sent them, header lines dropped, whatever the files' encoding.
  const requests = decodedRequests(t, t.partitionColumns).replace(/^/gm, "  ");
  const from = `FROM (\n${requests}\n) AS ${quote(t.name)}`;
  const eventType = param(t, "e");
  return [
    {
      name: "events-per-hour",
      description: "Tracker events per hour (UTC) and event type (e: pv, pp, se, ue, tr, ti), last 2 days.",
      parameters: [],
      sql: [
        `SELECT date_trunc('hour',`,
        `    ${requestTime(t)}) AS hour,`,
        `  ${eventType} AS event_type,`,
        `  count(*) AS events`,
        from,
        `WHERE ${isEvent(t)}`,
        `  AND ${lastDays(t, 2)}`,
        `GROUP BY 1, 2`,
        `ORDER BY 1, 2`,
      ].join("\n"),
    },
    {
      name: "event-by-eid",
      description:
        "The tracker event with the given event id (eid), last 7 days: when, which type, all of it.",
      parameters: ["eid: the event id, a UUID"],
      sql: [
        `SELECT ${requestTime(t)}`,
        `    AS collector_time,`,
        `  ${eventType} AS event_type,`,
        `  ${param(t, "eid")} AS eid,`,
        `  ${quote(t.column("cs-uri-query"))} AS query_string`,
        from,
        `WHERE ${isEvent(t)}`,
        `  AND ${lastDays(t, 7)}`,
        `  AND ${param(t, "eid")} = ?`,
        `ORDER BY 1`,
      ].join("\n"),
    },
    {
      name: "top-pages",
      description: "The 100 most viewed pages (url of page-view events), last 7 days.",
      parameters: [],
      sql: [
        `SELECT ${param(t, "url")} AS page_url,`,
        `  count(*) AS page_views`,
        from,
        `WHERE ${isEvent(t)}`,
        `  AND ${lastDays(t, 7)}`,
        `  AND ${eventType} = 'pv'`,
        `GROUP BY 1`,
        `ORDER BY 2 DESC, 1`,
        `LIMIT 100`,
      ].join("\n"),
    },
    {
      name: "self-describing-events-by-schema",
      description:
        "Self-describing events (e=ue) per event schema, with the schemas of their contexts; " +
        "decodes ue_px/cx (base64url) or ue_pr/co (plain JSON), last 7 days.",
      parameters: [],
      sql: [
        `WITH params AS (`,
        `  SELECT ${param(t, "ue_pr")} AS ue_pr,`,
        `    ${param(t, "ue_px")} AS ue_px,`,
        `    ${param(t, "co")} AS co,`,
        `    ${param(t, "cx")} AS cx`,
        `  ${from}`,
        `  WHERE ${isEvent(t).replace("\n", "\n  ")}`,
        `    AND ${lastDays(t, 7, "  ")}`,
        `    AND ${eventType} = 'ue'`,
        `), decoded AS (`,
        `  SELECT coalesce(ue_pr, try(from_utf8(from_base64url(ue_px)))) AS ue,`,
        `    coalesce(co, try(from_utf8(from_base64url(cx)))) AS cx`,
        `  FROM params`,
        `)`,
        `SELECT try(json_extract_scalar(ue, '$.data.schema')) AS event_schema,`,
        `  count(*) AS events,`,
        `  array_join(array_sort(array_distinct(flatten(array_agg(`,
        `    transform(coalesce(try(CAST(json_extract(cx, '$.data') AS array(json))), ARRAY[]),`,
        `      c -> coalesce(try(json_extract_scalar(c, '$.schema')), '?')))))), ', ') AS context_schemas`,
        `FROM decoded`,
        `GROUP BY 1`,
        `ORDER BY 2 DESC, 1`,
      ].join("\n"),
    },
  ];
}

/** The named query called `name`, or an error listing the known names. */
export function findNamedQuery(queries: readonly NamedQuery[], name: string): NamedQuery {
  const found = queries.find((q) => q.name === name);
  if (found === undefined) {
    throw new Error(
      `no named query ${JSON.stringify(name)}; known: ${queries.map((q) => q.name).join(", ")}`,
    );
  }
  return found;
}
