/**
 * `npm run logs -- FILE_OR_DIR... [--event-id ID] [--format text|json|jsonl]`: reads CloudFront
 * access-log files (gzipped or plain) and prints a summary, or the tracker events carrying the
 * given event id, or every served tracker event as a JSON line with the `events` view's columns.
 */
import * as fs from "fs";
import { Writable } from "stream";
import { readAccessLogFile } from "../logs/accessLog";
import { CanonicalEvent, canonicalEventOfRecord, servedCanonicalLine } from "../logs/canonicalEvent";
import { JsonlWriter } from "../logs/jsonlExport";
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

const FORMATS = ["text", "json", "jsonl"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = [
  "usage: npm run logs -- FILE_OR_DIR... [--event-id ID] [--format F] [--output FILE]",
  "  FILE_OR_DIR    CloudFront access-log files, gzipped or plain, or directories of them: legacy",
  "                 W3C files, or v2 JSON or W3C files under their partitioned paths",
  "  --event-id ID  print the tracker events with this eid, decoded",
  "  --format F     text (default); json: the summary (and matches) as JSON; jsonl: every served",
  "                 tracker event, one JSON object a line, with the columns of the Athena view",
  "                 `events` (npm run query -- --columns lists them); the summary goes to stderr",
  "  --json         the same as --format json",
  "  --output FILE  write the JSON lines to FILE instead of stdout",
  "exit codes: 0 all files and lines read, 1 a bad line or unreadable file (or no such event),",
  "            2 bad usage (unknown option, no such path, no files)",
].join("\n");

/** A looked-up event: decoded for a person, and as the canonical event the view would show. */
export type LogMatch = DecodedTrackerEvent & { readonly event: CanonicalEvent };

export interface LogsResult {
  summary: LogSummary;
  /** Only filled when an event id was asked for; their payloads decoded. */
  matches: LogMatch[];
}

/**
 * Reads every file under the given paths; the summary counts all of them, matches or not. With
 * `jsonl`, every served tracker event goes to it as it is read, and nothing is kept.
 */
export async function readLogs(
  paths: readonly string[],
  eventId?: string,
  jsonl?: JsonlWriter,
): Promise<LogsResult> {
  const summary = emptySummary();
  const matches: { found: TrackerEvent; event: CanonicalEvent }[] = [];
  for (const given of paths) {
    let files: string[];
    try {
      files = await listLogFiles(given);
    } catch (error) {
      throw new CliError(`cannot read ${JSON.stringify(given)}: ${(error as Error).message}`);
    }
    for (const file of files) {
      const report = await readAccessLogFile(
        file,
        (record) => {
          countRecord(summary, record);
          if (jsonl !== undefined) {
            const line = servedCanonicalLine(record);
            if (line !== undefined) jsonl.add(line);
          }
          if (eventId === undefined) return;
          const found = trackerEventOf(record);
          if (found !== undefined && found.params.eid === eventId) {
            matches.push({ found, event: canonicalEventOfRecord(record) });
          }
        },
        jsonl === undefined ? undefined : () => jsonl.flush(),
      );
      addFileReport(summary, report);
    }
  }
  return {
    summary,
    matches: matches.map(({ found, event }) => ({ ...decodeTrackerEvent(found), event })),
  };
}

export async function main(argv: string[], output: Output): Promise<number> {
  return withCliErrors(output, async () => {
    const args = parseCommandArgs(
      "logs",
      argv,
      {
        "event-id": { type: "string" },
        json: { type: "boolean" },
        format: { type: "string" },
        output: { type: "string" },
        help: { type: "boolean" },
      },
      true,
    );
    if (args.values.help) {
      output.out(USAGE);
      return EXIT_OK;
    }
    if (args.positionals.length === 0)
      throw new CliError(`logs: give at least one log file or directory.\n${USAGE}`);
    const eventId = stringOption(args, "event-id");
    const format = formatOf(stringOption(args, "format"), args.values.json === true);
    const outputFile = stringOption(args, "output");
    if (outputFile !== undefined && format !== "jsonl") {
      throw new CliError(`logs: --output writes the JSON lines of --format jsonl; add --format jsonl.`);
    }
    if (format === "jsonl" && eventId !== undefined) {
      throw new CliError(`logs: --format jsonl exports every event; leave out --event-id.`);
    }
    let jsonl: { writer: JsonlWriter; close: boolean } | undefined;
    if (format === "jsonl") jsonl = openJsonl(outputFile, output);
    const { summary, matches } = await readLogs(args.positionals, eventId, jsonl?.writer);
    if (jsonl !== undefined) await jsonl.writer.end(jsonl.close);

    if (format === "json") {
      output.out(JSON.stringify(eventId === undefined ? summary : { summary, matches }, null, 2));
    } else if (format === "jsonl") {
      // stdout holds the events: the summary goes to stderr, so the lines load as they are.
      printSummary(summary, { out: (line) => output.err(line), err: (line) => output.err(line) });
      output.err(`exported:   ${jsonl?.writer.lines ?? 0} events as JSON lines`);
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
    // So is a file that holds no query field, or fits neither encoding: read, but not to be trusted.
    if (summary.badLines > 0 || summary.unreadableFiles > 0 || summary.suspectFiles > 0) {
      return EXIT_CHECK_FAILED;
    }
    return EXIT_OK;
  });
}

function formatOf(given: string | undefined, json: boolean): Format {
  if (given === undefined) return json ? "json" : "text";
  if (!(FORMATS as readonly string[]).includes(given)) {
    throw new CliError(`logs: --format ${JSON.stringify(given)} is not one of ${FORMATS.join(", ")}.`);
  }
  if (json && given !== "json") throw new CliError(`logs: --json and --format ${given} disagree; give one.`);
  return given as Format;
}

/** Where the JSON lines go: a file the command creates (and closes), or stdout. */
function openJsonl(file: string | undefined, output: Output): { writer: JsonlWriter; close: boolean } {
  if (file === undefined) {
    const stream: Writable =
      output.stream ?? new Writable({ write: (chunk, _enc, done) => (writeLines(output, chunk), done()) });
    return { writer: new JsonlWriter(stream), close: false };
  }
  let stream: fs.WriteStream;
  try {
    fs.writeFileSync(file, "");
    stream = fs.createWriteStream(file);
  } catch (error) {
    throw new CliError(`logs: cannot write --output ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
  return { writer: new JsonlWriter(stream), close: true };
}

/** An Output without a stream (a test's capture) takes the text line by line. */
function writeLines(output: Output, chunk: Buffer | string): void {
  const text = chunk.toString();
  for (const line of text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n")) output.out(line);
}

function printSummary(summary: LogSummary, output: Output): void {
  output.out(
    `files:      ${summary.files}${summary.unreadableFiles ? ` (${summary.unreadableFiles} unreadable)` : ""}`,
  );
  const modes = Object.entries(summary.byMode).map(([mode, n]) => `${mode} (${n} file${n === 1 ? "" : "s"})`);
  output.out(`mode:       ${modes.length > 0 ? modes.join(", ") : "(no records)"}`);
  const encodings = Object.entries(summary.byEncoding).map(
    ([encoding, n]) => `${encoding} (${n} file${n === 1 ? "" : "s"})`,
  );
  if (encodings.length > 0) output.out(`encoding:   ${encodings.join(", ")}`);
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
  const total = summary.badLines + summary.unreadableFiles + summary.badPayloads + summary.suspectFiles;
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
