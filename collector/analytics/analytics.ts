/**
 * Athena over the collector's logs, as a part of the component: a Glue database with the requests
 * table and the `events` view over it, the query results bucket, an enforced workgroup and the
 * named queries. Everything is in
 * the stack's Region, next to the log bucket: query results hold event data and stay there too.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AnalyticsArgs } from "../config/args";
import { declareWorkgroup } from "./athenaWorkgroup";
import { EVENTS_TABLE, eventsTableFor, requestsTableFor, TableLayout } from "./eventsTable";
import { EVENTS_VIEW } from "./eventsView";
import { declareEventsView } from "./eventsViewTable";
import { declareEventsTable, TableSource } from "./glueTable";
import { namedQueries } from "./namedQueries";
import { declareQueryResultsBucket } from "./queryResultsBucket";

export interface AnalyticsOutputs {
  /** The Athena workgroup queries run in (it enforces results location, encryption, cutoff). */
  workgroup: string;
  /** The Glue database of the events table. */
  database: string;
  /** The table of logged requests, one row per request. */
  table: string;
  /** The view of tracker events over it, with Snowplow's canonical columns: what users query. */
  view: string;
  /** Which logging mode's files the table reads: it decides the named queries' SQL. */
  tableLayout: TableLayout;
  /** The bucket Athena writes results to. */
  resultsBucket: string;
  /** The key prefix the table reads under (logTablePrefix, or logPrefix). */
  tablePrefix: string;
}

export interface AnalyticsParts {
  logBucket: aws.s3.Bucket;
  logPrefix: string;
  /** Where the table reads the files: logPrefix, unless AWS put them elsewhere. */
  tablePrefix: string;
  distributionId: pulumi.Input<string>;
  source: TableSource;
  tags: Record<string, string>;
}

export interface Analytics {
  workgroup: aws.athena.Workgroup;
  database: aws.glue.CatalogDatabase;
  table: aws.glue.CatalogTable;
  view: aws.glue.CatalogTable;
  resultsBucket: aws.s3.Bucket;
  namedQueries: aws.athena.NamedQuery[];
  outputs: pulumi.Output<AnalyticsOutputs>;
}

/**
 * A Glue database name: lower case letters, digits and underscores (Athena needs quotes around
 * anything else), unique per stack because dev and prod may share an account and Region.
 */
export function databaseName(component: string, stack: string): string {
  return `${component}_${stack}`.toLowerCase().replace(/[^a-z0-9_]+/g, "_");
}

export function declareAnalytics(
  name: string,
  args: AnalyticsArgs & AnalyticsParts,
  opts: pulumi.CustomResourceOptions,
): Analytics {
  const results = declareQueryResultsBucket(
    name,
    { retentionDays: args.queryResultRetentionDays, tags: args.tags },
    opts,
  );
  const workgroup = declareWorkgroup(
    name,
    {
      outputLocation: results.outputLocation,
      queryScanCutoffMb: args.queryScanCutoffMb,
      tags: args.tags,
      dependsOn: results.ready,
    },
    opts,
  );
  const database = new aws.glue.CatalogDatabase(
    `${name}-events-db`,
    {
      name: databaseName(name, pulumi.getStack()),
      description: "The collector's events: CloudFront access logs, queried in place by Athena.",
      tags: args.tags,
    },
    opts,
  );
  const table = declareEventsTable(
    name,
    {
      database: database.name,
      logBucket: args.logBucket,
      logPrefix: args.tablePrefix,
      distributionId: args.distributionId,
      source: args.source,
    },
    opts,
  );
  const view = declareEventsView(
    name,
    {
      database: database.name,
      table: requestsTableFor(EVENTS_TABLE, args.source.layout === "v2" ? args.source : { layout: "legacy" }),
      dependsOn: table,
    },
    opts,
  );
  const queries = namedQueries(eventsTableFor(EVENTS_VIEW, args.source.layout)).map(
    (q) =>
      new aws.athena.NamedQuery(
        `${name}-query-${q.name}`,
        {
          name: q.name,
          description: q.description.slice(0, 1024),
          database: database.name,
          workgroup: workgroup.name,
          query: q.sql,
        },
        { ...opts, dependsOn: [view] },
      ),
  );
  return {
    workgroup,
    database,
    table,
    view,
    resultsBucket: results.bucket,
    namedQueries: queries,
    outputs: pulumi.output({
      workgroup: workgroup.name,
      database: database.name,
      table: table.name,
      view: view.name,
      tableLayout: args.source.layout,
      resultsBucket: results.bucket.bucket,
      tablePrefix: args.tablePrefix,
    }),
  };
}
