/**
 * The `events` view as a Glue table, the way Trino's own Hive connector stores a view in a
 * metastore (Glue included), which is what Athena reads as a view: table type VIRTUAL_VIEW,
 * `presto_view` = `true`, the expanded text `/* Presto View * /` and, as the original text,
 * `/* Presto View: <base64 of the view definition's JSON> * /` (trinodb/trino ViewReaderUtil and
 * HiveMetadata; AWS's "Considerations and limitations for Athena views": Athena works with views
 * created in the Glue Data Catalog). Declared with the table, not with an Athena `CREATE VIEW`
 * query, so `pulumi up` and `pulumi destroy` own it like every other resource. Not checkable
 * here: that Athena accepts it is known from those sources, not from a run against AWS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EVENTS_VIEW, eventsViewColumns, eventsViewSql, RequestsTable } from "./eventsView";

/** Athena's name for the Glue Data Catalog, as a view definition names its catalog. */
export const ATHENA_CATALOG = "awsdatacatalog";

/** Trino's ConnectorViewDefinition, as JSON: what the base64 in the original text holds. */
export interface PrestoViewDefinition {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
  comment?: string;
  runAsInvoker: boolean;
}

export function prestoViewDefinition(table: RequestsTable, database: string): PrestoViewDefinition {
  return {
    originalSql: eventsViewSql(table),
    catalog: ATHENA_CATALOG,
    schema: database,
    columns: eventsViewColumns(table).map((c) => ({ name: c.name, type: c.type })),
    comment: "Tracker events with Snowplow's canonical columns, one row per event the edge served.",
    // Athena runs a view with the querying principal's permissions either way (DEFINER is not
    // supported), which is what invoker means.
    runAsInvoker: true,
  };
}

const PRESTO_VIEW_PREFIX = "/* Presto View: ";
const PRESTO_VIEW_SUFFIX = " */";

/** The view's original text, as Trino's ViewReaderUtil.encodeViewData writes it. */
export function prestoViewText(definition: PrestoViewDefinition): string {
  return `${PRESTO_VIEW_PREFIX}${Buffer.from(JSON.stringify(definition), "utf8").toString("base64")}${PRESTO_VIEW_SUFFIX}`;
}

/** The definition inside an original text (for specs and `verify`). */
export function decodePrestoViewText(text: string): PrestoViewDefinition {
  if (!text.startsWith(PRESTO_VIEW_PREFIX) || !text.endsWith(PRESTO_VIEW_SUFFIX)) {
    throw new Error(`not a Presto view text: ${text.slice(0, 40)}...`);
  }
  const base64 = text.slice(PRESTO_VIEW_PREFIX.length, -PRESTO_VIEW_SUFFIX.length);
  return JSON.parse(Buffer.from(base64, "base64").toString("utf8")) as PrestoViewDefinition;
}

export interface EventsViewArgs {
  database: pulumi.Input<string>;
  table: RequestsTable;
  /** The table the view reads: the view is declared after it, and replaced with it. */
  dependsOn: pulumi.Resource;
}

export function declareEventsView(
  name: string,
  args: EventsViewArgs,
  opts: pulumi.CustomResourceOptions,
): aws.glue.CatalogTable {
  const columns = eventsViewColumns(args.table);
  return new aws.glue.CatalogTable(
    `${name}-events-view`,
    {
      name: EVENTS_VIEW,
      databaseName: args.database,
      description: "Tracker events (Snowplow's canonical columns) over the requests table: a view.",
      tableType: "VIRTUAL_VIEW",
      parameters: { presto_view: "true", comment: "Presto View" },
      viewOriginalText: pulumi
        .output(args.database)
        .apply((database) => prestoViewText(prestoViewDefinition(args.table, database))),
      viewExpandedText: "/* Presto View */",
      storageDescriptor: {
        columns: columns.map((c) => ({ name: c.name, type: c.hiveType })),
        // Athena refuses a view whose storage descriptor has no SerDe info ("Table storage
        // descriptor is missing SerDe info", terraform-provider-aws #28517).
        serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" },
      },
    },
    { ...opts, dependsOn: [args.dependsOn], deleteBeforeReplace: true },
  );
}
