import * as assert from "assert";
import { BYTES_PER_MB, ATHENA_ENGINE_VERSION } from "../../../collector/analytics/athenaWorkgroup";
import {
  EVENTS_TABLE,
  eventsTableFor,
  legacyColumns,
  requestsTableFor,
} from "../../../collector/analytics/eventsTable";
import { LEGACY_FIELD_NAMES, logField } from "../../../collector/eventLogs/logFields";
import { storageLocationTemplate } from "../../../collector/eventLogs/logLayout";
import { namedQueries } from "../../../collector/analytics/namedQueries";
import { EVENTS_VIEW, eventsViewColumns, eventsViewSql } from "../../../collector/analytics/eventsView";
import { decodePrestoViewText } from "../../../collector/analytics/eventsViewTable";
import { all, assertRejected, bucket, get, one, runStack, sideOf, T } from "../../harness";

const A = {
  workgroup: "aws:athena/workgroup:Workgroup",
  namedQuery: "aws:athena/namedQuery:NamedQuery",
  database: "aws:glue/catalogDatabase:CatalogDatabase",
  table: "aws:glue/catalogTable:CatalogTable",
} as const;

const isRequestsTable = (r: { inputs: Record<string, unknown> }) => r.inputs.tableType === "EXTERNAL_TABLE";

describe("analytics (Athena and Glue over the logs)", () => {
  it("is on in prod and off in dev", async () => {
    const [prod, dev] = await Promise.all([runStack("prod"), runStack("dev")]);
    assert.strictEqual(all(prod, A.workgroup).length, 1);
    for (const type of Object.values(A)) assert.strictEqual(all(dev, type).length, 0, type);
    assert.strictEqual(all(dev, T.bucket).length, 2, "no results bucket in dev");
    assert.strictEqual(dev.outputs.analytics, undefined);
  });

  it("enforces the workgroup's configuration: engine 3, results encrypted in the results bucket, cutoff from config", async () => {
    const run = await runStack("prod", { queryScanCutoffMb: "250", queryResultRetentionDays: "3" });
    const wg = one(run, A.workgroup);
    const results = bucket(run, "query-results");
    assert.strictEqual(get(wg, "configuration", "enforceWorkgroupConfiguration"), true);
    assert.strictEqual(get(wg, "configuration", "bytesScannedCutoffPerQuery"), 250 * BYTES_PER_MB);
    assert.strictEqual(
      get(wg, "configuration", "engineVersion", "selectedEngineVersion"),
      ATHENA_ENGINE_VERSION,
    );
    assert.strictEqual(
      get(wg, "configuration", "resultConfiguration", "encryptionConfiguration", "encryptionOption"),
      "SSE_S3",
    );
    assert.strictEqual(
      get(wg, "configuration", "resultConfiguration", "outputLocation"),
      "s3://<collector-query-results.bucket>/results/",
    );
    assert.ok(wg.propertyDependencies.configuration.includes(results.urn));
    assert.ok(wg.parent?.endsWith("::collector"), "a child of the component");
  });

  it("keeps results in a private, SSE-S3, ACL-less bucket of their own that expires them", async () => {
    const run = await runStack("prod", { queryScanCutoffMb: "250", queryResultRetentionDays: "3" });
    const results = bucket(run, "query-results");
    const block = sideOf(run, T.publicAccess, results).inputs;
    assert.deepStrictEqual(
      [block.blockPublicAcls, block.ignorePublicAcls, block.blockPublicPolicy, block.restrictPublicBuckets],
      [true, true, true, true],
    );
    assert.strictEqual(
      get(sideOf(run, T.ownership, results), "rule", "objectOwnership"),
      "BucketOwnerEnforced",
    );
    assert.strictEqual(
      get(
        sideOf(run, T.encryption, results),
        "rules",
        0,
        "applyServerSideEncryptionByDefault",
        "sseAlgorithm",
      ),
      "AES256",
    );
    const rule = get(sideOf(run, T.lifecycle, results), "rules", 0) as Record<string, unknown>;
    assert.deepStrictEqual(
      [rule.status, rule.filter, rule.expiration],
      ["Enabled", { prefix: "" }, { days: 3 }],
    );
    const policy = JSON.parse(String(sideOf(run, T.policy, results).inputs.policy));
    assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.notStrictEqual(results.urn, bucket(run, "logs").urn);
    assert.strictEqual(results.protect, false, "results are derived data: destroy may take them");
  });

  it("declares the legacy table as AWS documents it: the catalogue's 33 fields, tab-separated, 2 header lines", async () => {
    const run = await runStack("prod", { loggingMode: "legacy" });
    const table = one(run, A.table, isRequestsTable);
    const columns = get(table, "storageDescriptor", "columns") as { name: string; type: string }[];
    assert.deepStrictEqual(
      columns,
      LEGACY_FIELD_NAMES.map((n) => ({ name: logField(n)?.column, type: logField(n)?.athenaType })),
    );
    assert.deepStrictEqual(columns, legacyColumns());
    assert.strictEqual(get(table, "storageDescriptor", "serDeInfo", "parameters", "field.delim"), "\t");
    assert.strictEqual(get(table, "parameters", "skip.header.line.count"), "2");
    assert.deepStrictEqual(get(table, "partitionKeys"), []);
    assert.strictEqual(
      get(table, "storageDescriptor", "location"),
      "s3://<collector-logs.bucket>/cloudfront/prod/",
    );
    assert.ok(table.propertyDependencies.storageDescriptor.includes(bucket(run, "logs").urn));
    assert.strictEqual(get(table, "name"), EVENTS_TABLE);
    assert.strictEqual(get(table, "databaseName"), "collector_prod");
  });

  it("declares prod's v2 table over the delivery's own fields, partitioned as the delivery writes", async () => {
    const run = await runStack("prod");
    const table = one(run, A.table, isRequestsTable);
    const delivery = one(run, "aws:cloudwatch/logDelivery:LogDelivery");
    const columns = get(table, "storageDescriptor", "columns") as { name: string }[];
    const fields = delivery.inputs.recordFields as string[];
    assert.deepStrictEqual(
      columns.map((c) => c.name),
      fields.map((n) => logField(n)?.column),
    );
    assert.ok(!columns.some((c) => c.name === "c_ip"));
    assert.deepStrictEqual(
      (get(table, "partitionKeys") as { name: string }[]).map((k) => k.name),
      ["distributionid", "year", "month", "day", "hour"],
    );
    assert.strictEqual(
      get(table, "parameters", "storage.location.template"),
      storageLocationTemplate("<collector-logs.bucket>", "cloudfront/prod/"),
    );
  });

  it("declares the events view over the requests table, as Athena stores a view in Glue", async () => {
    const run = await runStack("prod");
    const view = one(run, A.table, (r) => r.inputs.tableType === "VIRTUAL_VIEW");
    const table = one(run, A.table, isRequestsTable);
    const delivery = one(run, "aws:cloudwatch/logDelivery:LogDelivery");
    assert.strictEqual(get(view, "name"), EVENTS_VIEW);
    assert.strictEqual(get(view, "databaseName"), "collector_prod");
    assert.deepStrictEqual(get(view, "parameters"), { presto_view: "true", comment: "Presto View" });
    assert.strictEqual(get(view, "viewExpandedText"), "/* Presto View */");
    const definition = decodePrestoViewText(get(view, "viewOriginalText") as string);
    const requests = requestsTableFor(EVENTS_TABLE, {
      layout: "v2",
      recordFields: delivery.inputs.recordFields as string[],
    });
    assert.deepStrictEqual(definition, {
      originalSql: eventsViewSql(requests),
      catalog: "awsdatacatalog",
      schema: "collector_prod",
      columns: eventsViewColumns(requests).map((c) => ({ name: c.name, type: c.type })),
      comment: definition.comment,
      runAsInvoker: true,
    });
    assert.match(definition.originalSql, /FROM "requests"/);
    assert.deepStrictEqual(
      (get(view, "storageDescriptor", "columns") as { name: string; type: string }[]).slice(0, 4),
      [
        { name: "app_id", type: "string" },
        { name: "platform", type: "string" },
        { name: "collector_tstamp", type: "timestamp" },
        { name: "dvce_created_tstamp", type: "timestamp" },
      ],
    );
    assert.ok(view.dependencies.includes(table.urn), "declared after the table it reads");
    for (const q of all(run, A.namedQuery))
      assert.ok(q.dependencies.includes(view.urn), q.inputs.name as string);
  });

  it("saves the named queries in the workgroup, with the SQL the query command runs", async () => {
    const run = await runStack("prod");
    const saved = all(run, A.namedQuery).map((q) => [q.inputs.name, q.inputs.query, q.inputs.database]);
    const expected = namedQueries(eventsTableFor(EVENTS_VIEW, "v2")).map((q) => [
      q.name,
      q.sql,
      "collector_prod",
    ]);
    assert.deepStrictEqual(saved, expected);
    const wg = one(run, A.workgroup);
    for (const q of all(run, A.namedQuery)) assert.ok(q.propertyDependencies.workgroup.includes(wg.urn));
  });

  it("caps prod's queries at 50 GB scanned, a month of 100 M events with room to spare", async () => {
    const run = await runStack("prod");
    assert.strictEqual(
      get(one(run, A.workgroup), "configuration", "bytesScannedCutoffPerQuery"),
      50 * 1024 * BYTES_PER_MB,
    );
  });

  it("exports where to query", async () => {
    const { outputs } = await runStack("prod");
    assert.deepStrictEqual(outputs.analytics, {
      workgroup: "collector-prod",
      database: "collector_prod",
      table: EVENTS_TABLE,
      view: EVENTS_VIEW,
      tableLayout: "v2",
      resultsBucket: "<collector-query-results.bucket>",
      tablePrefix: "cloudfront/prod/",
    });
  });

  describe("rejects, before declaring anything:", () => {
    it("a scan cutoff under Athena's 10 MB minimum", () =>
      assertRejected(
        "prod",
        { queryScanCutoffMb: "9" },
        /cloudfront-collector:queryScanCutoffMb: 9 .*from 10 \(Athena's minimum\)/,
      ));
    it("a scan cutoff that is no whole number", () =>
      assertRejected("prod", { queryScanCutoffMb: "1GB" }, /queryScanCutoffMb: "1GB".*whole number/));
    it("analytics without logs", () =>
      assertRejected(
        "dev",
        { analyticsEnabled: "true" },
        /analyticsEnabled: true .*loggingEnabled is false/,
      ));
    it("a results retention of zero days", () =>
      assertRejected(
        "prod",
        { queryResultRetentionDays: "0" },
        /queryResultRetentionDays: 0 .*from 1 to 365/,
      ));
  });
});
