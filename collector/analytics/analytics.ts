/**
 * Athena over the collector's logs, as a part of the component: a Glue database and the events
 * table, the query results bucket, an enforced workgroup and the named queries. Everything is in
 * the stack's Region, next to the log bucket: query results hold event data and stay there too.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AnalyticsArgs } from "../config/args";
import { declareWorkgroup } from "./athenaWorkgroup";
import { EVENTS_TABLE, eventsTableFor, TableLayout } from "./eventsTable";
import { declareEventsTable, TableSource } from "./glueTable";
import { namedQueries } from "./namedQueries";
import { declareQueryResultsBucket } from "./queryResultsBucket";

export interface AnalyticsOutputs {
  /** The Athena workgroup queries run in (it enforces results location, encryption, cutoff). */
  workgroup: string;
  /** The Glue database of the events table. */
  database: string;
  table: string;
  /** Which logging mode's files the table reads: it decides the named queries' SQL. */
  tableLayout: TableLayout;
  /** The bucket Athena writes results to. */
  resultsBucket: string;
}

export interface AnalyticsParts {
  logBucket: aws.s3.Bucket;
  logPrefix: string;
  distributionId: pulumi.Input<string>;
  source: TableSource;
  tags: Record<string, string>;
}

export interface Analytics {
  workgroup: aws.athena.Workgroup;
  database: aws.glue.CatalogDatabase;
  table: aws.glue.CatalogTable;
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
      logPrefix: args.logPrefix,
      distributionId: args.distributionId,
      source: args.source,
    },
    opts,
  );
  const queries = namedQueries(eventsTableFor(EVENTS_TABLE, args.source.layout)).map(
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
        { ...opts, dependsOn: [table] },
      ),
  );
  return {
    workgroup,
    database,
    table,
    resultsBucket: results.bucket,
    namedQueries: queries,
    outputs: pulumi.output({
      workgroup: workgroup.name,
      database: database.name,
      table: table.name,
      tableLayout: args.source.layout,
      resultsBucket: results.bucket.bucket,
    }),
  };
}
