/**
 * `npm run query -- --stack NAME (--named NAME | SQL)`: runs SQL over the collector's events in the
 * stack's Athena workgroup, shows progress while Athena works, prints the rows, the bytes scanned
 * and what that cost.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { PARAMETERS_WITHOUT_COLUMN } from "../collector/analytics/canonicalEvent";
import { EVENTS_TABLE, eventsTableFor, requestsTableFor } from "../collector/analytics/eventsTable";
import { EVENTS_VIEW, eventsViewColumns, viewColumnOrigin } from "../collector/analytics/eventsView";
import { FIELD_SETS } from "../collector/eventLogs/logFields";
import { findNamedQuery, NamedQuery, namedQueries } from "../collector/analytics/namedQueries";
import {
  formatBytes,
  formatDollars,
  queryCostDollars,
  DOLLARS_PER_TB,
  MINIMUM_BILLED_MB,
} from "./athena/queryCost";
import {
  Clock,
  QueryFailed,
  QueryProgress,
  QueryResult,
  QueryTimedOut,
  realClock,
  runQuery,
} from "./athena/runQuery";
import {
  CliError,
  EXIT_CHECK_FAILED,
  EXIT_OK,
  formatDuration,
  Output,
  parseCommandArgs,
  parseDuration,
  runAsScript,
  stringOption,
  stringOptions,
  withCliErrors,
} from "./cli";
import { isMissingCredentials, missingCredentials } from "./awsCredentials";
import { loadStackOutputs, requireAnalytics, requireString } from "./stackOutputs";

const DEFAULT_TIMEOUT = "10m";

const USAGE = `usage: npm run query -- (--stack NAME | --outputs FILE) (--named NAME | SQL) [options]
  --named NAME      run one of the stack's named queries (--list shows them)
  --param VALUE     a value for the next ? in the SQL (repeat for several), e.g. the eid
  --list            list the named queries and their SQL, and run nothing (without --stack or
                    --outputs: for prod's layout, the view ${EVENTS_VIEW} over the v2 table)
  --columns         list the columns of the view ${EVENTS_VIEW} (Snowplow's canonical event, one
                    row per served tracker event) and where each comes from; needs no stack
  --timeout D       stop the query after D (default ${DEFAULT_TIMEOUT}), e.g. 90s, 30m
  --region R        the stack's Region (default: its region output)
  --json            print {columns, rows, bytesScanned, costDollars, queryExecutionId} as JSON`;

const OPTIONS = {
  stack: { type: "string" },
  outputs: { type: "string" },
  named: { type: "string" },
  param: { type: "string", multiple: true },
  list: { type: "boolean" },
  columns: { type: "boolean" },
  timeout: { type: "string" },
  region: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

/** What tests replace: where outputs come from, the clock. The Athena client is the SDK's own. */
export interface QueryDeps {
  pulumiCommand?: string;
  clock?: Clock;
}

export async function main(argv: string[], output: Output, deps: QueryDeps = {}): Promise<number> {
  return withCliErrors(output, async () => {
    const args = parseCommandArgs("query", argv, OPTIONS, true);
    if (args.values.help) {
      output.out(USAGE);
      return EXIT_OK;
    }
    if (args.values.columns) {
      printViewColumns(output);
      return EXIT_OK;
    }
    const named = stringOption(args, "named");
    const params = stringOptions(args, "param");
    const timeoutMs = parseDuration("timeout", stringOption(args, "timeout") ?? DEFAULT_TIMEOUT);
    if (!args.values.list && (named === undefined) === (args.positionals.length === 0)) {
      throw new CliError(`query: give either --named NAME or the SQL, not both and not neither.\n${USAGE}`);
    }
    if (args.positionals.length > 1) {
      throw new CliError(
        `query: the SQL must be one argument; quote it (got ${args.positionals.length} words).`,
      );
    }

    const stack = stringOption(args, "stack");
    const outputsFile = stringOption(args, "outputs");
    if (args.values.list && stack === undefined && outputsFile === undefined) {
      // The SQL needs no deployed stack: the docs send readers here instead of copying it.
      output.out(
        `-- the named queries on the view ${EVENTS_VIEW} over a v2 table (--stack NAME: that stack's layout)`,
      );
      printNamedQueries(namedQueries(eventsTableFor(EVENTS_VIEW, "v2")), output);
      return EXIT_OK;
    }

    const outputs = await loadStackOutputs({
      stack,
      outputsFile,
      pulumiCommand: deps.pulumiCommand,
    });
    const target = requireAnalytics(outputs);
    const queries = namedQueries(eventsTableFor(target.view ?? EVENTS_VIEW, target.tableLayout));
    if (args.values.list) {
      printNamedQueries(queries, output);
      return EXIT_OK;
    }

    let sql: string;
    if (named !== undefined) {
      let query: NamedQuery;
      try {
        query = findNamedQuery(queries, named);
      } catch (error) {
        throw new CliError(`query: ${(error as Error).message}.`);
      }
      if (params.length !== query.parameters.length) {
        const wanted = query.parameters.map((p) => `--param <${p}>`).join(" ") || "no --param";
        throw new CliError(
          `query: ${query.name} takes ${query.parameters.length} parameter(s), got ${params.length}: use ${wanted}.`,
        );
      }
      sql = query.sql;
    } else {
      sql = args.positionals[0];
    }

    const region = stringOption(args, "region") ?? requireString(outputs, "region");
    const client = new AthenaClient({ region });
    const label = named ?? "SQL";
    let result: QueryResult;
    try {
      result = await runQuery(
        client,
        { sql, workgroup: target.workgroup, database: target.database, parameters: params, timeoutMs },
        (p) => output.err(progressLine(label, p)),
        deps.clock ?? realClock,
      );
    } catch (error) {
      return reportFailure(error, target.workgroup, region, output);
    } finally {
      client.destroy();
    }

    const cost = queryCostDollars(result.bytesScanned);
    if (args.values.json) {
      output.out(
        JSON.stringify(
          {
            queryExecutionId: result.queryExecutionId,
            columns: result.columns,
            rows: result.rows,
            bytesScanned: result.bytesScanned,
            costDollars: cost,
          },
          null,
          2,
        ),
      );
    } else {
      for (const line of formatTable(result.columns, result.rows)) output.out(line);
      output.out(`(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})`);
    }
    output.err(
      `scanned ${formatBytes(result.bytesScanned)}; cost ${formatDollars(cost)} ` +
        `(at $${DOLLARS_PER_TB}/TB, ${MINIMUM_BILLED_MB} MB minimum); query ${result.queryExecutionId}` +
        (result.outputLocation ? `; results ${result.outputLocation}` : ""),
    );
    return EXIT_OK;
  });
}

function progressLine(label: string, p: QueryProgress): string {
  const scanned = p.bytesScanned > 0 ? `, ${formatBytes(p.bytesScanned)} scanned` : "";
  return `${label}: ${p.state} after ${formatDuration(Math.round(p.elapsedMs))}${scanned}`;
}

function reportFailure(error: unknown, workgroup: string, region: string, output: Output): number {
  if (error instanceof QueryFailed) {
    output.err(
      `error: Athena ${error.state === "CANCELLED" ? "cancelled" : "failed"} the query: ${error.reason}`,
    );
    output.err(
      `  query ${error.queryExecutionId}; scanned ${formatBytes(error.bytesScanned)} before it ended`,
    );
    return EXIT_CHECK_FAILED;
  }
  if (error instanceof QueryTimedOut) {
    output.err(
      `error: the query was still ${error.state} after ${formatDuration(error.timeoutMs)} and has been ` +
        `stopped (query ${error.queryExecutionId}, ${formatBytes(error.bytesScanned)} scanned). ` +
        `Give it longer with --timeout, or narrow it to fewer days.`,
    );
    return EXIT_CHECK_FAILED;
  }
  const name = (error as { name?: string } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (isMissingCredentials(error)) throw missingCredentials(error, "run the query again");
  if (name !== undefined && name !== "Error") {
    throw new CliError(
      `Athena refused the request in ${region}, workgroup ${workgroup}: ${name}: ${message}`,
      EXIT_CHECK_FAILED,
    );
  }
  throw error;
}

/** The view's columns over prod's table (v2, privacy fields), from the one parameter map. */
function printViewColumns(output: Output): void {
  const table = requestsTableFor(EVENTS_TABLE, { layout: "v2", recordFields: FIELD_SETS.privacy });
  const columns = eventsViewColumns(table);
  const width = Math.max(...columns.map((c) => c.name.length));
  const typeWidth = Math.max(...columns.map((c) => c.type.length));
  output.out(`-- the view ${EVENTS_VIEW} over the table ${EVENTS_TABLE} (a v2 table: partitions last)`);
  for (const c of columns) {
    output.out(`${c.name.padEnd(width)}  ${c.type.padEnd(typeWidth)}  ${viewColumnOrigin(c.name)}`);
  }
  output.out("-- tracker parameters without a column:");
  for (const [params, why] of Object.entries(PARAMETERS_WITHOUT_COLUMN)) output.out(`${params}: ${why}`);
}

function printNamedQueries(queries: readonly NamedQuery[], output: Output): void {
  for (const q of queries) {
    output.out(`-- ${q.name}: ${q.description}`);
    if (q.parameters.length > 0) output.out(`-- parameters: ${q.parameters.join("; ")}`);
    output.out(`${q.sql};`);
    output.out("");
  }
}

/** Rows as aligned text columns; a NULL shows as an empty cell. */
export function formatTable(columns: readonly string[], rows: readonly (string | null)[][]): string[] {
  const cells = [columns.map(String), ...rows.map((r) => r.map((v) => v ?? ""))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)];
}

runAsScript(module, (argv, output) => main(argv, output));
