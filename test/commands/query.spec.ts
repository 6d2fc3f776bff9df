import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { EVENTS_TABLE, eventsTableFor, requestsTableFor } from "../../collector/analytics/eventsTable";
import { EVENTS_VIEW, eventsViewColumns } from "../../collector/analytics/eventsView";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { findNamedQuery, namedQueries } from "../../collector/analytics/namedQueries";
import { billedBytes, queryCostDollars } from "../../commands/athena/queryCost";
import { Clock } from "../../commands/athena/runQuery";
import { formatTable, main } from "../../commands/query";
import { captureOutput } from "../support/captureOutput";
import { runScript } from "../support/runScript";
import { makeTempDir } from "../support/tempDir";

const PROD_OUTPUTS = path.join(__dirname, "fixtures", "outputs-prod.json");
const PROD = JSON.parse(fs.readFileSync(PROD_OUTPUTS, "utf8"));
const MB = 2 ** 20;

/** Virtual time: sleeping advances the clock at once, so a 10-minute timeout takes no time. */
function virtualClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

function execution(
  state: string,
  extra: Partial<QueryExecution> = {},
  scanned = 0,
): { QueryExecution: QueryExecution } {
  return {
    QueryExecution: {
      QueryExecutionId: "q-1",
      StatementType: "DML",
      Status: { State: state as never },
      Statistics: { DataScannedInBytes: scanned, EngineExecutionTimeInMillis: 1200 },
      ResultConfiguration: { OutputLocation: "s3://collector-query-results-7a8b9c/results/q-1.csv" },
      ...extra,
    },
  };
}

const row = (...values: (string | null)[]) => ({
  Data: values.map((v) => (v === null ? {} : { VarCharValue: v })),
});

describe("npm run query", () => {
  const athena = mockClient(AthenaClient);
  beforeEach(() => athena.reset());
  after(() => athena.restore());

  it("runs SQL in the stack's workgroup and database, shows progress, prints rows, bytes and cost", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution("QUEUED"))
      .resolvesOnce(execution("RUNNING", {}, 5 * MB))
      .resolves(execution("SUCCEEDED", {}, 1.5 * 1024 * MB));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: "event_type", Type: "varchar" },
            { Name: "events", Type: "bigint" },
          ],
        },
        Rows: [row("event_type", "events"), row("pv", "120"), row("ue", "7"), row(null, "1")],
      },
    });
    const output = captureOutput();
    const clock = virtualClock();
    const code = await main(
      ["--outputs", PROD_OUTPUTS, "SELECT event_type, count(*) AS events FROM events GROUP BY 1"],
      output,
      { clock },
    );
    assert.strictEqual(code, 0, output.stderr.join("\n"));

    const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    assert.strictEqual(start.WorkGroup, PROD.analytics.workgroup);
    assert.deepStrictEqual(start.QueryExecutionContext, { Database: "collector_prod" });
    assert.strictEqual(start.QueryString, "SELECT event_type, count(*) AS events FROM events GROUP BY 1");
    assert.strictEqual(start.ExecutionParameters, undefined);
    assert.strictEqual(await athena.call(0).thisValue.config.region(), "eu-west-1");

    assert.deepStrictEqual(output.stderr.slice(0, 3), [
      "SQL: QUEUED after 0ms",
      "SQL: RUNNING after 500ms, 5 MB scanned",
      "SQL: SUCCEEDED after 1.5s, 1.5 GB scanned",
    ]);
    assert.deepStrictEqual(clock.slept, [500, 1000], "polls back off");
    assert.deepStrictEqual(output.stdout, [
      "event_type  events",
      "----------  ------",
      "pv          120",
      "ue          7",
      "            1",
      "(3 rows)",
    ]);
    // 1.5 GiB at $5 per TiB.
    assert.match(
      output.stderr[3],
      /^scanned 1\.5 GB; cost \$0\.0073 \(at \$5\/TB, 10 MB minimum\); query q-1; results s3:\/\//,
    );
  });

  it("runs a named query with its parameter, as the component saved it", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(execution("SUCCEEDED", {}, 0));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: "eid", Type: "varchar" }] },
        Rows: [row("eid")],
      },
    });
    const output = captureOutput();
    const eid = "6d3c1e1a-3b52-4c1e-9f0e-0123456789ab";
    const code = await main(["--outputs", PROD_OUTPUTS, "--named", "event-by-eid", "--param", eid], output, {
      clock: virtualClock(),
    });
    assert.strictEqual(code, 0, output.stderr.join("\n"));
    const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    const expected = findNamedQuery(namedQueries(eventsTableFor(EVENTS_VIEW, "v2")), "event-by-eid");
    assert.strictEqual(start.QueryString, expected.sql);
    assert.deepStrictEqual(start.ExecutionParameters, [eid]);
    assert.deepStrictEqual(output.stdout, ["eid", "---", "(0 rows)"]);
    assert.match(
      output.stderr.at(-1) ?? "",
      /cost \$0\.000048 /,
      "a query that scanned nothing is billed 10 MB",
    );
  });

  it("reads every page of results", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(execution("SUCCEEDED"));
    const meta = { ColumnInfo: [{ Name: "n", Type: "integer" }] };
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({ ResultSet: { ResultSetMetadata: meta, Rows: [row("n"), row("1")] }, NextToken: "t2" })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: meta, Rows: [row("2")] } });
    const output = captureOutput();
    assert.strictEqual(
      await main(["--outputs", PROD_OUTPUTS, "--json", "SELECT n"], output, { clock: virtualClock() }),
      0,
    );
    const json = JSON.parse(output.stdout.join("\n"));
    assert.deepStrictEqual(json.rows, [["1"], ["2"]]);
    assert.strictEqual(athena.commandCalls(GetQueryResultsCommand)[1].args[0].input.NextToken, "t2");
  });

  it("fails a query with Athena's own reason", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(
      execution(
        "FAILED",
        {
          Status: {
            State: "FAILED",
            StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
            AthenaError: { ErrorCategory: 2, ErrorType: 1006 },
          },
        },
        0,
      ),
    );
    const output = captureOutput();
    assert.strictEqual(
      await main(["--outputs", PROD_OUTPUTS, "SELECT nope FROM events"], output, { clock: virtualClock() }),
      1,
    );
    assert.match(
      output.stderr.join("\n"),
      /error: Athena failed the query: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved \(category 2, type 1006\)/,
    );
    assert.strictEqual(athena.commandCalls(GetQueryResultsCommand).length, 0);
  });

  it("reports a query the workgroup's scan cutoff cancelled", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(
      execution(
        "CANCELLED",
        {
          Status: {
            State: "CANCELLED",
            StateChangeReason: "Query cancelled: the workgroup's data usage control limit was exceeded",
          },
        },
        10240 * MB,
      ),
    );
    const output = captureOutput();
    assert.strictEqual(
      await main(["--outputs", PROD_OUTPUTS, "SELECT * FROM events"], output, { clock: virtualClock() }),
      1,
    );
    assert.match(
      output.stderr.join("\n"),
      /Athena cancelled the query: Query cancelled: .*limit was exceeded/,
    );
    assert.match(output.stderr.join("\n"), /scanned 10 GB before it ended/);
  });

  it("stops a query that outlives --timeout, and says so", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(execution("RUNNING", {}, 3 * MB));
    athena.on(StopQueryExecutionCommand).resolves({});
    const output = captureOutput();
    const clock = virtualClock();
    const code = await main(["--outputs", PROD_OUTPUTS, "--timeout", "30s", "SELECT 1"], output, { clock });
    assert.strictEqual(code, 1);
    assert.deepStrictEqual(athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input, {
      QueryExecutionId: "q-1",
    });
    assert.match(output.stderr.at(-1) ?? "", /still RUNNING after 30s and has been stopped .*--timeout/);
    assert.strictEqual(clock.now(), 30_000, "waits no longer than the timeout");
  });

  it("refuses an unknown named query, listing the known ones, before calling Athena", async () => {
    const output = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--named", "top-page"], output), 2);
    assert.match(
      output.stderr[0],
      /no named query "top-page"; known: events-per-hour, event-by-eid, top-pages, page-views-per-day, events-of-user, /,
    );
    assert.strictEqual(athena.calls().length, 0);
  });

  it("refuses a named query without its parameter, and SQL together with --named", async () => {
    const missing = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--named", "event-by-eid"], missing), 2);
    assert.match(
      missing.stderr[0],
      /event-by-eid takes 1 parameter\(s\), got 0: use --param <event_id: the event id, a UUID>/,
    );
    const both = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--named", "top-pages", "SELECT 1"], both), 2);
    assert.match(both.stderr[0], /either --named NAME or the SQL/);
    const bad = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--timeout", "soon", "SELECT 1"], bad), 2);
    assert.match(bad.stderr[0], /--timeout "soon" is not a duration/);
    assert.strictEqual(athena.calls().length, 0);
  });

  it("says analytics is off for a stack without it", async () => {
    const temp = makeTempDir("query-outputs");
    try {
      const file = path.join(temp.dir, "dev.json");
      fs.writeFileSync(file, JSON.stringify({ ...PROD, analytics: null }));
      const output = captureOutput();
      assert.strictEqual(await main(["--outputs", file, "SELECT 1"], output), 2);
      assert.match(output.stderr[0], /analytics is off for this stack.*analyticsEnabled true/);
    } finally {
      temp.cleanup();
    }
  });

  it("lists the named queries with their SQL", async () => {
    const output = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--list"], output), 0);
    const text = output.stdout.join("\n");
    for (const q of namedQueries(eventsTableFor(EVENTS_VIEW, "v2")))
      assert.ok(text.includes(`${q.sql};`), q.name);
    assert.strictEqual(athena.calls().length, 0);
  });

  it("lists the named queries of the v2 table without any stack (--list alone)", async () => {
    const output = captureOutput();
    assert.strictEqual(await main(["--list"], output), 0, output.stderr.join("\n"));
    const text = output.stdout.join("\n");
    assert.match(output.stdout[0], /view events over a v2 table/);
    for (const q of namedQueries(eventsTableFor(EVENTS_VIEW, "v2")))
      assert.ok(text.includes(`-- ${q.name}: ${q.description}\n`) && text.includes(`\n${q.sql};\n`), q.name);
    assert.strictEqual(athena.calls().length, 0);
  });

  it("lists the view's columns from the one parameter map, without any stack (--columns)", async () => {
    const output = captureOutput();
    assert.strictEqual(await main(["--columns"], output), 0, output.stderr.join("\n"));
    const listed = output.stdout.filter((l) => /^[a-z_]+ {2,}[a-z]/.test(l)).map((l) => l.split(/ +/));
    const table = requestsTableFor(EVENTS_TABLE, { layout: "v2", recordFields: FIELD_SETS.privacy });
    assert.deepStrictEqual(
      listed.map(([name, type]) => [name, type]),
      eventsViewColumns(table).map((c) => [c.name, c.type]),
    );
    assert.ok(output.stdout.some((l) => /^ip: user_ipaddress: never stored/.test(l)));
    assert.strictEqual(athena.calls().length, 0);
  });

  it("reads --stack through the Pulumi CLI, as a script", async () => {
    const temp = makeTempDir("query-stack");
    try {
      const bin = path.join(temp.dir, "bin");
      fs.mkdirSync(bin);
      // A stand-in for the Pulumi CLI that checks it was asked the right question.
      fs.writeFileSync(
        path.join(bin, "pulumi"),
        `#!/bin/sh\n[ "$*" = "stack output --json --stack prod" ] || { echo "unexpected: $*" >&2; exit 3; }\n` +
          `/bin/cat '${PROD_OUTPUTS}'\n`,
        { mode: 0o755 },
      );
      const result = await runScript("commands/query.ts", ["--stack", "prod", "--list"], {
        ...process.env,
        PATH: bin,
      });
      assert.strictEqual(result.status, 0, result.stderr);
      const top = findNamedQuery(namedQueries(eventsTableFor(EVENTS_VIEW, "v2")), "top-pages");
      assert.ok(result.stdout.includes(`${top.sql};`));
    } finally {
      temp.cleanup();
    }
  });

  it("turns an Athena error response into one line naming the workgroup", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: athena:StartQueryExecution"), {
      name: "AccessDeniedException",
    });
    athena.on(StartQueryExecutionCommand).rejects(denied);
    const output = captureOutput();
    assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "SELECT 1"], output), 1);
    assert.match(
      output.stderr[0],
      /Athena refused the request in eu-west-1, workgroup collector-prod: AccessDeniedException: User is not authorized/,
    );
  });
});

describe("npm run query without credentials (the real SDK, as a script)", () => {
  it("says no credentials were found, and how to provide them", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
    const result = await runScript("commands/query.ts", ["--outputs", PROD_OUTPUTS, "SELECT 1"], {
      ...env,
      // No credentials anywhere in the chain, and no instance metadata lookup off this machine.
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_CONFIG_FILE: "/nonexistent/config",
      // Should a credential turn up after all, the request goes to a closed loopback port.
      AWS_ENDPOINT_URL_ATHENA: "http://127.0.0.1:9",
    });
    assert.strictEqual(result.status, 2, result.stderr);
    assert.match(result.stderr, /^error: no AWS credentials found \(.*\)\. Set AWS_PROFILE/);
  });
});

describe("query cost and tables", () => {
  it("bills at least 10 MB, rounded up to the MB, at $5 per TB", () => {
    assert.strictEqual(billedBytes(0), 10 * MB);
    assert.strictEqual(billedBytes(10 * MB + 1), 11 * MB);
    assert.strictEqual(queryCostDollars(2 ** 40), 5);
  });

  it("aligns columns", () => {
    assert.deepStrictEqual(formatTable(["a", "bb"], [["xyz", null]]), ["a    bb", "---  --", "xyz"]);
  });
});
