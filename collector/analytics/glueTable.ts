/**
 * The Glue table Athena reads the events through, declared from the same sources as the log
 * delivery: the field catalogue for the columns, the delivery's output format for the SerDe, the
 * v2 path layout for the partitions. Legacy logs get AWS's documented table for standard logs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  Column,
  columnsFor,
  EVENTS_TABLE,
  legacyColumns,
  v2PartitionKeys,
  v2ProjectionParameters,
  V2OutputFormat,
} from "./eventsTable";

/** What the table reads: legacy files, or a v2 delivery's fields in its output format. */
export type TableSource =
  | { layout: "legacy" }
  | {
      layout: "v2";
      /** The delivery's `recordFields`, in delivery order. */
      recordFields: readonly string[];
      outputFormat: V2OutputFormat;
      /** The delivery's field delimiter, for the text formats. */
      fieldDelimiter: string;
    };

export interface EventsTableArgs {
  database: pulumi.Input<string>;
  logBucket: aws.s3.Bucket;
  logPrefix: string;
  distributionId: pulumi.Input<string>;
  source: TableSource;
}

const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
const LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

/** Storage settings (formats and SerDe) for the files a source writes. */
export function storageFor(source: TableSource, columns: readonly Column[]) {
  if (source.layout === "legacy") {
    return {
      inputFormat: TEXT_INPUT,
      outputFormat: TEXT_OUTPUT,
      serDeInfo: {
        serializationLibrary: LAZY_SIMPLE,
        parameters: { "field.delim": "\t", "serialization.format": "\t" },
      },
      // `#Version` and `#Fields` open every file.
      tableParameters: { "skip.header.line.count": "2" },
    };
  }
  switch (source.outputFormat) {
    case "json":
      return {
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serDeInfo: {
          serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
          // JSON keys are AWS's field names (`cs(Host)`), not valid column names: map each column.
          // Case-sensitive, so the mappings match the keys exactly as written: by default the
          // SerDe lower-cases keys first, and `cs(Host)` would no longer match its mapping.
          parameters: {
            "case.insensitive": "false",
            ...Object.fromEntries(columns.map((c, i) => [`mapping.${c.name}`, source.recordFields[i]])),
          } as Record<string, string>,
        },
        tableParameters: {} as Record<string, string>,
      };
    case "w3c":
      return {
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serDeInfo: {
          serializationLibrary: LAZY_SIMPLE,
          parameters: { "field.delim": source.fieldDelimiter, "serialization.format": source.fieldDelimiter },
        },
        // No fixed header count: AWS does not document whether v2 W3C files open with `#Fields`
        // alone or with `#Version` too, and skipping two would drop a data line of the first
        // kind. The SQL drops `#` lines by what they are (analytics/requestDecoding.ts).
        tableParameters: {} as Record<string, string>,
      };
    default:
      // A format added to the delivery's list must be given a SerDe here before it compiles.
      return unreadable(source.outputFormat);
  }
}

function unreadable(format: never): never {
  throw new Error(`no Glue SerDe for the v2 output format ${JSON.stringify(format)}`);
}

export function declareEventsTable(
  name: string,
  args: EventsTableArgs,
  opts: pulumi.CustomResourceOptions,
): aws.glue.CatalogTable {
  const source = args.source;
  const columns =
    source.layout === "legacy" ? legacyColumns() : columnsFor(source.recordFields, source.outputFormat);
  const storage = storageFor(source, columns);
  const location = pulumi.interpolate`s3://${args.logBucket.bucket}/${args.logPrefix}`;
  const v2 = source.layout === "v2";
  const parameters = v2
    ? pulumi.all([args.distributionId, args.logBucket.bucket]).apply(([id, bucket]) => ({
        EXTERNAL: "TRUE",
        ...storage.tableParameters,
        ...v2ProjectionParameters(id, bucket, args.logPrefix),
      }))
    : { EXTERNAL: "TRUE", ...storage.tableParameters };
  return new aws.glue.CatalogTable(
    `${name}-events`,
    {
      name: EVENTS_TABLE,
      databaseName: args.database,
      description: v2
        ? "CloudFront standard logging v2 files: one row per request, partitioned by distribution and hour."
        : "CloudFront legacy standard log files: one row per request; no partitions, so every query reads all.",
      tableType: "EXTERNAL_TABLE",
      parameters,
      partitionKeys: v2 ? v2PartitionKeys("-").map((k) => ({ name: k.name, type: k.type })) : [],
      storageDescriptor: {
        location,
        inputFormat: storage.inputFormat,
        outputFormat: storage.outputFormat,
        serDeInfo: storage.serDeInfo,
        columns: columns.map((c) => ({ name: c.name, type: c.type })),
      },
    },
    // Switching logging modes replaces the table under the same name: Glue refuses a second table
    // called `events`, and a table is only metadata, so the old one goes first.
    { ...opts, deleteBeforeReplace: true },
  );
}
