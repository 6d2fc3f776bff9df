/**
 * Totals over many log files: what `npm run logs` prints when no event id is asked for.
 */
import { LogEncoding } from "../collector/eventLogs/logEncoding";
import { AccessLogRecord, FileReadReport, LogProblem } from "./accessLog";
import { FIELD } from "./accessLogFields";
import { FoundMode, logModeOf } from "./logMode";
import {
  eventTypeCode,
  loggedTrackerParam,
  loggedTrackerQuery,
  selfDescribingEventOf,
  servedPixel,
} from "./trackerEvent";
import { PayloadProblem } from "./trackerPayload";

/** A tracker payload on a good log line that does not decode (the line is still counted). */
export interface PayloadLineProblem extends PayloadProblem {
  readonly file: string;
  readonly line: number;
  readonly kind: "bad-payload";
  readonly message: string;
}

export type SummaryProblem = LogProblem | PayloadLineProblem;

/** Self-describing events whose payload does not decode are counted under this schema. */
export const UNDECODABLE_SCHEMA = "(payload does not decode)";

export interface LogSummary {
  files: number;
  dataLines: number;
  records: number;
  /** GETs of the pixel with a query string that the edge answered with it: tracker events. */
  events: number;
  /** Tracker hits answered with a redirect or an error, which the tracker sends again. */
  unserved: number;
  badLines: number;
  /** Events whose self-describing payload does not decode (contexts are checked on lookup). */
  badPayloads: number;
  /** Bad lines, bad payloads and unreadable files, the first ones in full (counts are complete). */
  problems: SummaryProblem[];
  unreadableFiles: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  /** Events by the tracker's `e` code (`pv`, `se`, `ue`, ...; `(none)` without one). */
  byEventType: Record<string, number>;
  /** Self-describing events by the schema of the event they carry. */
  bySchema: Record<string, number>;
  /** Files by the logging mode that wrote them (legacy, v2 json, v2 w3c). */
  byMode: Partial<Record<FoundMode, number>>;
  /** Files by how they hold the requests: percent-encoded on top, as received, ... (logEncoding.ts). */
  byEncoding: Partial<Record<LogEncoding, number>>;
  /** Files read with a problem of the whole file (no query field, fitting neither encoding). */
  suspectFiles: number;
}

export const MAX_SUMMARY_PROBLEMS = 50;

export function emptySummary(): LogSummary {
  return {
    files: 0,
    dataLines: 0,
    records: 0,
    events: 0,
    unserved: 0,
    badLines: 0,
    badPayloads: 0,
    problems: [],
    unreadableFiles: 0,
    byStatus: {},
    byMethod: {},
    byEventType: {},
    bySchema: {},
    byMode: {},
    byEncoding: {},
    suspectFiles: 0,
  };
}

export function countRecord(summary: LogSummary, record: AccessLogRecord): void {
  increment(summary.byStatus, record.get(FIELD.status) || "(none)");
  increment(summary.byMethod, record.get(FIELD.method) || "(none)");
  const query = loggedTrackerQuery(record);
  if (query === undefined) return;
  if (!servedPixel(record.get(FIELD.status))) {
    summary.unserved++;
    return;
  }
  summary.events++;
  // Only `e`, and a self-describing event's payload, are decoded here: the rest waits for a lookup.
  const decode = (logged: string) => record.decode(logged);
  const code = eventTypeCode({ e: loggedTrackerParam(query, "e", decode) });
  increment(summary.byEventType, code);
  if (code !== "ue") return;
  const ue_px = loggedTrackerParam(query, "ue_px", decode);
  const decoded = selfDescribingEventOf(
    ue_px !== undefined ? { ue_px } : { ue_pr: loggedTrackerParam(query, "ue_pr", decode) },
  );
  if ("value" in decoded) {
    increment(summary.bySchema, decoded.value.schema);
    return;
  }
  increment(summary.bySchema, UNDECODABLE_SCHEMA);
  summary.badPayloads++;
  if (summary.problems.length < MAX_SUMMARY_PROBLEMS) {
    summary.problems.push(payloadLineProblem(record.file, record.line, decoded.problem));
  }
}

/** How much of a raw value a one-line problem shows; `--json` and the lookup keep all of it. */
export const RAW_SHOWN_CHARS = 120;

export function payloadLineProblem(file: string, line: number, problem: PayloadProblem): PayloadLineProblem {
  const raw =
    problem.raw.length > RAW_SHOWN_CHARS
      ? `${problem.raw.slice(0, RAW_SHOWN_CHARS)}... (${problem.raw.length} characters)`
      : problem.raw;
  return {
    file,
    line,
    kind: "bad-payload",
    message: `${problem.param}: ${problem.reason}; raw value: ${raw || "(empty)"}`,
    ...problem,
  };
}

export function addFileReport(summary: LogSummary, report: FileReadReport): void {
  summary.files++;
  if (report.format !== undefined) increment(summary.byMode, logModeOf(report.file, report.format));
  if (report.encoding !== undefined) increment(summary.byEncoding, report.encoding);
  if (report.fileProblems.length > 0) summary.suspectFiles++;
  summary.dataLines += report.dataLines;
  summary.records += report.records;
  summary.badLines += report.badLines;
  const found = [...(report.fileError ? [report.fileError] : []), ...report.fileProblems, ...report.problems];
  if (report.fileError) summary.unreadableFiles++;
  summary.problems.push(...found.slice(0, MAX_SUMMARY_PROBLEMS - summary.problems.length));
}

function increment(counts: Partial<Record<string, number>>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function describeProblem(problem: SummaryProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.kind}: ${problem.message}`;
}
