/**
 * `npm run logs -- FILE_OR_DIR... [--event-id ID] [--json]`: reads CloudFront access-log files
 * (gzipped or plain) and prints a summary, or the tracker events carrying the given event id.
 */
import { readAccessLogFile } from "../logs/accessLog";
import { listLogFiles } from "../logs/localLogFiles";
import { addFileReport, countRecord, describeProblem, emptySummary, LogSummary } from "../logs/logSummary";
import { DecodedTrackerEvent, decodeTrackerEvent, TrackerEvent, trackerEventOf } from "../logs/trackerEvent";
import { describeTrackerEvent } from "../logs/trackerEventReport";
import { eventTypeLabel } from "../logs/trackerEventTypes";
import {
  CliError,
  EXIT_BAD_INPUT,
  EXIT_CHECK_FAILED,
  EXIT_OK,
  Output,
  parseCommandArgs,
  runAsScript,
  stringOption,
  withCliErrors,
} from "./cli";

const USAGE = [
  "usage: npm run logs -- FILE_OR_DIR... [--event-id ID] [--json]",
  "  FILE_OR_DIR    CloudFront access-log files, gzipped or plain, or directories of them: legacy",
  "                 W3C files, or v2 JSON or W3C files under their partitioned paths",
  "  --event-id ID  print the tracker events with this eid, decoded",
  "  --json         print JSON instead of text",
  "exit codes: 0 all files and lines read, 1 a bad line or unreadable file (or no such event),",
  "            2 bad usage (unknown option, no such path, no files)",
].join("\n");

export interface LogsResult {
  summary: LogSummary;
  /** Only filled when an event id was asked for; their payloads decoded. */
  matches: DecodedTrackerEvent[];
}

/** Reads every file under the given paths; the summary counts all of them, matches or not. */
export async function readLogs(paths: readonly string[], eventId?: string): Promise<LogsResult> {
  const summary = emptySummary();
  const matches: TrackerEvent[] = [];
  for (const given of paths) {
    let files: string[];
    try {
      files = await listLogFiles(given);
    } catch (error) {
      throw new CliError(`cannot read ${JSON.stringify(given)}: ${(error as Error).message}`);
    }
    for (const file of files) {
      const report = await readAccessLogFile(file, (record) => {
        countRecord(summary, record);
        if (eventId === undefined) return;
        const event = trackerEventOf(record);
        if (event !== undefined && event.params.eid === eventId) matches.push(event);
      });
      addFileReport(summary, report);
    }
  }
  return { summary, matches: matches.map(decodeTrackerEvent) };
}

export async function main(argv: string[], output: Output): Promise<number> {
  return withCliErrors(output, async () => {
    const args = parseCommandArgs(
      "logs",
      argv,
      { "event-id": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
      true,
    );
    if (args.values.help) {
      output.out(USAGE);
      return EXIT_OK;
    }
    if (args.positionals.length === 0)
      throw new CliError(`logs: give at least one log file or directory.\n${USAGE}`);
    const eventId = stringOption(args, "event-id");
    const { summary, matches } = await readLogs(args.positionals, eventId);

    if (args.values.json) {
      output.out(JSON.stringify(eventId === undefined ? summary : { summary, matches }, null, 2));
    } else {
      printSummary(summary, output);
      if (eventId !== undefined) printMatches(eventId, matches, output);
    }
    if (summary.files === 0) {
      output.err(`error: no files under ${args.positionals.map((p) => JSON.stringify(p)).join(", ")}`);
      return EXIT_BAD_INPUT;
    }
    if (eventId !== undefined && matches.length === 0) return EXIT_CHECK_FAILED;
    // A bad line or file is lost data, even when the event asked for was found: say so in the code.
    // A payload that does not decode is on a line read whole: the tracker's fault, shown, not failed.
    if (summary.badLines > 0 || summary.unreadableFiles > 0) return EXIT_CHECK_FAILED;
    return EXIT_OK;
  });
}

function printSummary(summary: LogSummary, output: Output): void {
  output.out(
    `files:      ${summary.files}${summary.unreadableFiles ? ` (${summary.unreadableFiles} unreadable)` : ""}`,
  );
  const modes = Object.entries(summary.byMode).map(([mode, n]) => `${mode} (${n} file${n === 1 ? "" : "s"})`);
  output.out(`mode:       ${modes.length > 0 ? modes.join(", ") : "(no records)"}`);
  output.out(`data lines: ${summary.dataLines}`);
  output.out(`events:     ${summary.events} (GET /i with a query string, answered with the pixel)`);
  if (summary.unserved > 0) {
    output.out(
      `not served: ${summary.unserved} (tracker hits answered with a redirect or an error; ` +
        "the tracker sends those events again, so they are not counted)",
    );
  }
  output.out(`bad lines:  ${summary.badLines}`);
  output.out(`by status:  ${formatCounts(summary.byStatus)}`);
  output.out(`by method:  ${formatCounts(summary.byMethod)}`);
  printEventTypes(summary, output);
  if (summary.badPayloads > 0) {
    output.out(`bad events: ${summary.badPayloads} (self-describing payload does not decode)`);
  }
  const shown = summary.problems.length;
  const total = summary.badLines + summary.unreadableFiles + summary.badPayloads;
  if (shown > 0) {
    output.err(`problems${total > shown ? ` (first ${shown} of ${total})` : ""}:`);
    for (const problem of summary.problems) output.err(`  ${describeProblem(problem)}`);
  }
}

/** Counts right-aligned, names after them; self-describing events split by their schema. */
function printEventTypes(summary: LogSummary, output: Output): void {
  const types = byCountThenName(summary.byEventType);
  if (types.length === 0) return;
  const width = String(summary.events).length;
  const label = ["by type:   ", "           "];
  types.forEach(([code, count], i) => {
    output.out(`${label[i === 0 ? 0 : 1]} ${String(count).padStart(width)} ${eventTypeLabel(code)}`);
    if (code !== "ue") return;
    for (const [schema, n] of byCountThenName(summary.bySchema)) {
      output.out(`${label[1]}   ${String(n).padStart(width)} ${schema}`);
    }
  });
}

function byCountThenName(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
}

function printMatches(eventId: string, matches: readonly DecodedTrackerEvent[], output: Output): void {
  if (matches.length === 0) {
    output.out(`no event with eid=${eventId} in these files`);
    return;
  }
  for (const event of matches) {
    output.out(`event ${eventId} at ${event.file}:${event.line}`);
    for (const line of describeTrackerEvent(event)) output.out(line);
  }
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "-" : entries.map(([key, count]) => `${key}=${count}`).join(" ");
}

runAsScript(module, main);
