/**
 * Totals over many log files: what `npm run logs` prints when no event id is asked for.
 */
import { AccessLogRecord, FileReadReport, LogProblem } from "./accessLog";
import { FIELD } from "./accessLogFields";
import { isTrackerHit } from "./trackerEvent";

export interface LogSummary {
  files: number;
  dataLines: number;
  records: number;
  /** GETs of the pixel with a query string: the lines that carry tracker events. */
  events: number;
  badLines: number;
  /** Bad lines and unreadable files, the first ones in full (the counts above are complete). */
  problems: LogProblem[];
  unreadableFiles: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
}

export const MAX_SUMMARY_PROBLEMS = 50;

export function emptySummary(): LogSummary {
  return {
    files: 0,
    dataLines: 0,
    records: 0,
    events: 0,
    badLines: 0,
    problems: [],
    unreadableFiles: 0,
    byStatus: {},
    byMethod: {},
  };
}

export function countRecord(summary: LogSummary, record: AccessLogRecord): void {
  increment(summary.byStatus, record.get(FIELD.status) || "(none)");
  increment(summary.byMethod, record.get(FIELD.method) || "(none)");
  if (isTrackerHit(record)) summary.events++;
}

export function addFileReport(summary: LogSummary, report: FileReadReport): void {
  summary.files++;
  summary.dataLines += report.dataLines;
  summary.records += report.records;
  summary.badLines += report.badLines;
  const found = report.fileError ? [report.fileError, ...report.problems] : report.problems;
  if (report.fileError) summary.unreadableFiles++;
  summary.problems.push(...found.slice(0, MAX_SUMMARY_PROBLEMS - summary.problems.length));
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function describeProblem(problem: LogProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.kind}: ${problem.message}`;
}
