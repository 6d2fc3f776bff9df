/**
 * Runs one SQL statement in an Athena workgroup and waits for it: start, poll with a growing
 * interval, stop it on timeout, read every page of results. The caller supplies the client, so
 * tests mock the SDK at the client level and the command chooses the Region.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  QueryExecution,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";

export interface QueryRequest {
  sql: string;
  workgroup: string;
  database: string;
  /** Values for the SQL's `?` placeholders, in order. */
  parameters?: readonly string[];
  timeoutMs: number;
}

export interface QueryProgress {
  queryExecutionId: string;
  state: string;
  elapsedMs: number;
  bytesScanned: number;
}

export interface QueryResult {
  queryExecutionId: string;
  columns: string[];
  rows: (string | null)[][];
  bytesScanned: number;
  /** Athena's own engine time, which is what the console shows. */
  engineMs?: number;
  outputLocation?: string;
}

/** How the runner waits and tells time; tests pass a virtual clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The first poll comes soon (small queries finish in about a second); later ones back off. */
export const FIRST_POLL_MS = 500;
export const MAX_POLL_MS = 5000;

/** Athena ended the query in FAILED or CANCELLED. */
export class QueryFailed extends Error {
  constructor(
    readonly queryExecutionId: string,
    readonly state: string,
    readonly reason: string,
    readonly bytesScanned: number,
  ) {
    super(`query ${queryExecutionId} ${state}: ${reason}`);
  }
}

/** The query ran past the timeout; it has been stopped. */
export class QueryTimedOut extends Error {
  constructor(
    readonly queryExecutionId: string,
    readonly state: string,
    readonly timeoutMs: number,
    readonly bytesScanned: number,
  ) {
    super(`query ${queryExecutionId} still ${state} after ${timeoutMs} ms; stopped`);
  }
}

export async function runQuery(
  client: AthenaClient,
  request: QueryRequest,
  onProgress: (p: QueryProgress) => void = () => undefined,
  clock: Clock = realClock,
): Promise<QueryResult> {
  const started = clock.now();
  const start = await client.send(
    new StartQueryExecutionCommand({
      QueryString: request.sql,
      WorkGroup: request.workgroup,
      QueryExecutionContext: { Database: request.database },
      ...(request.parameters && request.parameters.length > 0
        ? { ExecutionParameters: [...request.parameters] }
        : {}),
    }),
  );
  const id = start.QueryExecutionId;
  if (!id) throw new Error("Athena started the query but returned no QueryExecutionId");

  let wait = FIRST_POLL_MS;
  for (;;) {
    const { QueryExecution: execution } = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = execution?.Status?.State ?? "UNKNOWN";
    const bytesScanned = execution?.Statistics?.DataScannedInBytes ?? 0;
    const elapsedMs = clock.now() - started;
    onProgress({ queryExecutionId: id, state, elapsedMs, bytesScanned });

    if (state === "SUCCEEDED") {
      // Athena repeats a SELECT's column names as the first row of its first page (DML only).
      const header = execution?.StatementType === "DML";
      return { ...(await readResults(client, id, header)), ...summary(execution) };
    }
    if (state === "FAILED" || state === "CANCELLED") {
      throw new QueryFailed(id, state, failureReason(execution), bytesScanned);
    }
    if (elapsedMs >= request.timeoutMs) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new QueryTimedOut(id, state, request.timeoutMs, bytesScanned);
    }
    await clock.sleep(Math.min(wait, Math.max(request.timeoutMs - elapsedMs, 0)));
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}

function summary(execution: QueryExecution | undefined) {
  return {
    bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
    engineMs: execution?.Statistics?.EngineExecutionTimeInMillis,
    outputLocation: execution?.ResultConfiguration?.OutputLocation,
  };
}

/** Athena's own words: the state-change reason, with its error category and type when given. */
function failureReason(execution: QueryExecution | undefined): string {
  const status = execution?.Status;
  const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? "(Athena gave no reason)";
  const error = status?.AthenaError;
  const codes = [
    error?.ErrorCategory !== undefined ? `category ${error.ErrorCategory}` : undefined,
    error?.ErrorType !== undefined ? `type ${error.ErrorType}` : undefined,
  ].filter((x) => x !== undefined);
  return codes.length > 0 ? `${reason} (${codes.join(", ")})` : reason;
}

async function readResults(client: AthenaClient, id: string, header: boolean) {
  let columns: string[] = [];
  const rows: (string | null)[][] = [];
  let first = true;
  for await (const page of paginateGetQueryResults({ client }, { QueryExecutionId: id })) {
    const set = page.ResultSet;
    if (first) columns = (set?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? "");
    const data = (set?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    rows.push(...(first && header ? data.slice(1) : data));
    first = false;
  }
  return { queryExecutionId: id, columns, rows };
}
