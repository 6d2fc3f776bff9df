/**
 * The SQL a Snowplow user wants on day one, written once: the component saves it as Athena named
 * queries and `npm run query -- --named NAME` runs it. Every query reads the view `events`
 * (eventsView.ts), whose columns are Snowplow's canonical ones, so the SQL reads as it would on
 * Snowplow's own atomic.events, and decoding the tracker protocol is the view's job, not theirs.
 *
 * The dialect is Athena engine version 3 (Trino).
 */

/** What the SQL needs to know about the view (or, for requestDecoding.ts, the table). */
export interface EventsTable {
  /** The view, as FROM names it (`events`; the query runs in its database). */
  readonly name: string;
  /** The table's column holding a CloudFront field (`cs-uri-query`), for SQL over the table. */
  column(fieldName: string): string;
  /**
   * The date partitions the view passes through from the table, if it has them: their columns and
   * whether they are compared as numbers (`int`) or zero-padded text (`string`). Without them a
   * query reads every file.
   */
  readonly datePartitions?: {
    readonly year: PartitionColumn;
    readonly month: PartitionColumn;
    readonly day: PartitionColumn;
  };
  /** Every partition key, in path order; none for a table without partitions. */
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

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

const DATE_PARTS = { year: "%Y", month: "%m", day: "%d" } as const;

function partitionTerm(p: PartitionColumn, part: keyof typeof DATE_PARTS, day: string): string {
  const value = p.type === "int" ? `${part}(${day})` : `date_format(${day}, '${DATE_PARTS[part]}')`;
  return `${quote(p.column)} = ${value}`;
}

/**
 * Limits a query to the last `days` days (UTC, today included). Snowplow's own advice is to filter
 * on collector_tstamp; here the partition terms, one (year, month, day) per day, are what let
 * Athena's partition projection read only those days' files (a view passes them through); the
 * collector_tstamp term limits the rows of a table without partitions, which is read whole.
 */
function lastDays(t: EventsTable, days: number): string {
  const dateTerm = `CAST(collector_tstamp AS date) > current_date - INTERVAL '${days}' DAY`;
  const parts = t.datePartitions;
  if (parts === undefined) return dateTerm;
  const dayTerms = Array.from({ length: days }, (_, back) => {
    const d = back === 0 ? "current_date" : `current_date - INTERVAL '${back}' DAY`;
    return [
      `(${partitionTerm(parts.year, "year", d)}`,
      `  AND ${partitionTerm(parts.month, "month", d)}`,
      `  AND ${partitionTerm(parts.day, "day", d)})`,
    ]
      .map((line) => `    ${line}`)
      .join("\n");
  });
  return `${dateTerm}\n  AND (\n${dayTerms.join("\n    OR\n")}\n  )`;
}

/** The self-describing event's schema, out of the unstruct_event JSON (wrapper included). */
const EVENT_SCHEMA = "json_extract_scalar(unstruct_event, '$.data.schema')";

/** The named queries over the view `t`, in the order they are listed. */
export function namedQueries(t: EventsTable): NamedQuery[] {
  const from = `FROM ${quote(t.name)}`;
  return [
    {
      name: "events-per-hour",
      description: "Tracker events per hour (UTC) and event (page_view, struct, unstruct, ...), last 2 days.",
      parameters: [],
      sql: [
        `SELECT date_trunc('hour', collector_tstamp) AS hour,`,
        `  event,`,
        `  count(*) AS events`,
        from,
        `WHERE ${lastDays(t, 2)}`,
        `GROUP BY 1, 2`,
        `ORDER BY 1, 2`,
      ].join("\n"),
    },
    {
      name: "event-by-eid",
      description:
        "The tracker event with the given event_id (the tracker's eid), last 7 days, every column.",
      parameters: ["event_id: the event id, a UUID"],
      sql: [
        `SELECT *`,
        from,
        `WHERE ${lastDays(t, 7)}`,
        `  AND event_id = ?`,
        `ORDER BY collector_tstamp`,
      ].join("\n"),
    },
    {
      name: "top-pages",
      description: "The 100 most viewed pages (page_url of page_view events), last 7 days.",
      parameters: [],
      sql: [
        `SELECT page_url,`,
        `  count(*) AS page_views`,
        from,
        `WHERE ${lastDays(t, 7)}`,
        `  AND event = 'page_view'`,
        `GROUP BY 1`,
        `ORDER BY 2 DESC, 1`,
        `LIMIT 100`,
      ].join("\n"),
    },
    {
      name: "page-views-per-day",
      description: "Page views per day (UTC) and page (host and path, query left out), last 7 days.",
      parameters: [],
      sql: [
        `SELECT CAST(collector_tstamp AS date) AS day,`,
        `  page_urlhost,`,
        `  page_urlpath,`,
        `  count(*) AS page_views`,
        from,
        `WHERE ${lastDays(t, 7)}`,
        `  AND event = 'page_view'`,
        `GROUP BY 1, 2, 3`,
        `ORDER BY 1, 4 DESC, 2, 3`,
      ].join("\n"),
    },
    {
      name: "events-of-user",
      description:
        "Every event of one domain_userid (the tracker's duid cookie), last 7 days, in the order " +
        "the device made them (dvce_created_tstamp), then as the edge served them.",
      parameters: ["domain_userid: the tracker's duid, a UUID"],
      sql: [
        `SELECT dvce_created_tstamp,`,
        `  collector_tstamp,`,
        `  domain_sessionidx,`,
        `  event,`,
        `  page_url,`,
        `  se_category,`,
        `  se_action,`,
        `  ${EVENT_SCHEMA} AS event_schema,`,
        `  event_id`,
        from,
        `WHERE ${lastDays(t, 7)}`,
        `  AND domain_userid = ?`,
        `ORDER BY dvce_created_tstamp, collector_tstamp, event_id`,
      ].join("\n"),
    },
    {
      name: "self-describing-events-by-schema",
      description:
        "Self-describing events (event unstruct) per event schema, with the schemas of their " +
        "contexts, last 7 days.",
      parameters: [],
      sql: [
        `SELECT ${EVENT_SCHEMA} AS event_schema,`,
        `  count(*) AS events,`,
        `  array_join(array_sort(array_distinct(flatten(array_agg(`,
        `    transform(coalesce(try(CAST(json_extract(contexts, '$.data') AS array(json))), ARRAY[]),`,
        `      c -> coalesce(json_extract_scalar(c, '$.schema'), '?')))))), ', ') AS context_schemas`,
        from,
        `WHERE ${lastDays(t, 7)}`,
        `  AND event = 'unstruct'`,
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
