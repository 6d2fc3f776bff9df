/**
 * The events table as Athena sees it, for either logging mode, built from the field catalogue
 * (collector/eventLogs/logFields.ts) and the v2 path layout (collector/eventLogs/logLayout.ts): the one description
 * the Glue table, the named queries and the query command share. Pure data, no resources.
 */
import { LogOutputFormat } from "../config/args";
import { LEGACY_FIELD_NAMES, logField } from "../eventLogs/logFields";
import { storageLocationTemplate, V2_PARTITIONS } from "../eventLogs/logLayout";
import { RequestsTable } from "./eventsView";
import { EventsTable, PartitionColumn } from "./namedQueries";

/**
 * The table's name in the stack's Glue database, in both modes: one row per logged request. The
 * name `events` belongs to the view of tracker events over it (eventsView.ts).
 */
export const EVENTS_TABLE = "requests";

export type TableLayout = "legacy" | "v2";

/** The v2 output formats the delivery may write (collector/config/args.ts holds the one list). */
export type V2OutputFormat = LogOutputFormat;

export interface Column {
  name: string;
  type: string;
}

/** The column of a CloudFront field, by its AWS name; a name the catalogue lacks is a bug. */
export function columnOf(fieldName: string): string {
  const field = logField(fieldName);
  if (field === undefined)
    throw new Error(`no CloudFront field ${JSON.stringify(fieldName)} in the catalogue`);
  return field.column;
}

/**
 * The table's columns: the given fields in the order the files hold them (text SerDes map by
 * position). W3C and legacy text get the catalogue's types: LazySimpleSerDe reads CloudFront's `-`
 * in a number column as NULL. JSON gets strings, as AWS's JSON DDL declares: the OpenX JSON SerDe
 * fails the whole query on a `-` it cannot parse as a number.
 */
export function columnsFor(fieldNames: readonly string[], format: V2OutputFormat | "legacy"): Column[] {
  const typed = format === "legacy" || format === "w3c";
  return fieldNames.map((name) => {
    const field = logField(name);
    if (field === undefined) throw new Error(`no CloudFront field ${JSON.stringify(name)} in the catalogue`);
    return { name: field.column, type: typed ? field.athenaType : "string" };
  });
}

/** Legacy files: the 33 fields in AWS's order, tab-separated, after two header lines. */
export function legacyColumns(): Column[] {
  return columnsFor(LEGACY_FIELD_NAMES, "legacy");
}

/** The first year a v2 partition can exist: CloudFront standard logging v2 launched in 2024. */
export const FIRST_PARTITION_YEAR = 2024;

interface PartitionKey {
  name: string;
  /** The Glue partition column type. */
  type: "string" | "int";
  /** Athena partition-projection properties for this key, without the `projection.<name>.` part. */
  projection: Record<string, string>;
}

/**
 * How each partition of the v2 layout is projected. The year is a `date` projection up to NOW, so
 * the range never runs out and never lists years not yet come (AWS's example stops at 2025); a
 * date projection's column is a string. Hours are 00-23 (AWS's example has 01-12). The
 * distribution is an enum of the stack's one distribution, so queries need not name it.
 */
function projectionOf(name: string, distributionId: string): Omit<PartitionKey, "name"> {
  const twoDigits = (range: string) => ({ type: "integer", range, digits: "2" });
  switch (name) {
    case "distributionid":
      return { type: "string", projection: { type: "enum", values: distributionId } };
    case "year":
      return {
        type: "string",
        projection: {
          type: "date",
          format: "yyyy",
          range: `${FIRST_PARTITION_YEAR},NOW`,
          interval: "1",
          "interval.unit": "YEARS",
        },
      };
    case "month":
      return { type: "int", projection: twoDigits("1,12") };
    case "day":
      return { type: "int", projection: twoDigits("1,31") };
    case "hour":
      return { type: "int", projection: twoDigits("0,23") };
    default:
      throw new Error(`the v2 layout has a partition "${name}" this table does not know how to project`);
  }
}

/** The partition keys of the v2 layout, in path order, with their projections. */
export function v2PartitionKeys(distributionId: string): PartitionKey[] {
  return V2_PARTITIONS.map((p) => ({ name: p.name, ...projectionOf(p.name, distributionId) }));
}

/** The table parameters that turn partition projection on, for one distribution and bucket. */
export function v2ProjectionParameters(
  distributionId: string,
  bucket: string,
  logPrefix: string,
): Record<string, string> {
  const params: Record<string, string> = { "projection.enabled": "true" };
  for (const key of v2PartitionKeys(distributionId)) {
    for (const [k, v] of Object.entries(key.projection)) params[`projection.${key.name}.${k}`] = v;
  }
  params["storage.location.template"] = storageLocationTemplate(bucket, logPrefix);
  return params;
}

/**
 * The SQL's look at a table or view of either layout: its name, the catalogue's columns, the date
 * partitions (a view passes the table's on) and every partition key.
 */
export function eventsTableFor(view: string, layout: TableLayout): EventsTable {
  const part = (name: string): PartitionColumn => {
    const key = v2PartitionKeys("-").find((k) => k.name === name);
    if (key === undefined) throw new Error(`the v2 layout has no ${name} partition`);
    return { column: key.name, type: key.type };
  };
  return {
    name: view,
    column: columnOf,
    datePartitions:
      layout === "v2" ? { year: part("year"), month: part("month"), day: part("day") } : undefined,
    partitionColumns: layout === "v2" ? v2PartitionKeys("-").map((k) => k.name) : [],
  };
}

/** The fields a table's files hold: legacy files all 33, a v2 delivery its `recordFields`. */
export type TableFields = { layout: "legacy" } | { layout: "v2"; recordFields: readonly string[] };

/** The view's SQL's look at the table: columns from the catalogue, which fields it has. */
export function requestsTableFor(table: string, fields: TableFields): RequestsTable {
  const names = new Set(fields.layout === "legacy" ? LEGACY_FIELD_NAMES : fields.recordFields);
  return {
    name: table,
    column: columnOf,
    hasField: (name) => names.has(name),
    partitionColumns:
      fields.layout === "v2" ? v2PartitionKeys("-").map((k) => ({ name: k.name, type: k.type })) : [],
  };
}
