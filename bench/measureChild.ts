/**
 * The measurements bench/logReader.ts runs, each in a child process of its own (so one run's heap
 * does not inflate the next one's peak): `node -r bench/swcRegister.js bench/measureChild.ts
 * MEASUREMENT FILE` prints what it measured as JSON. This module imports only what the
 * measurements need, so that a child with its heap capped holds the reader's heap and little else.
 */
import { performance } from "perf_hooks";
import { Writable } from "stream";
import { CANONICAL_COLUMNS } from "../collector/analytics/canonicalEvent";
import { readLogs } from "../commands/logs";
import { readAccessLogFile } from "../logs/accessLog";
import { FIELD } from "../logs/accessLogFields";
import { jsonLineWriter } from "../logs/canonicalJson";
import { JsonlWriter } from "../logs/jsonlExport";
import { addFileReport, countRecord, emptySummary } from "../logs/logSummary";

export interface Measured {
  lines: number;
  seconds: number;
  /** User + system CPU time of the whole process (gunzip runs on libuv's pool, so it counts too). */
  cpuSeconds: number;
  /** The process's peak resident memory, and its resident memory just before reading. */
  peakRssMb: number;
  startRssMb: number;
  /** The JavaScript heap in use just before reading: the modules loaded, what a heap cap must fit. */
  startHeapMb: number;
}

function startMemory(): Pick<Measured, "startRssMb" | "startHeapMb"> {
  const { rss, heapUsed } = process.memoryUsage();
  return { startRssMb: rss / 2 ** 20, startHeapMb: heapUsed / 2 ** 20 };
}

const peakRssMb = (): number => (process.resourceUsage().maxRSS * 1024) / 2 ** 20;

/**
 * Times `read` (wall, and this process's CPU), with the memory before it and the peak after;
 * `read` checks what it read and resolves with how many lines or events it took.
 */
async function measured(read: () => Promise<number>): Promise<Measured> {
  const start = startMemory();
  const startTime = performance.now();
  const cpuStart = process.cpuUsage();
  const lines = await read();
  const seconds = (performance.now() - startTime) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { lines, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: peakRssMb(), ...start };
}

/** Reads a file the way `npm run logs` does. */
export function measureReader(file: string): Promise<Measured> {
  return measured(async () => {
    const summary = emptySummary();
    const report = await readAccessLogFile(file, (record) => countRecord(summary, record));
    addFileReport(summary, report);
    if (summary.events !== report.records || report.badLines !== 0 || report.fileError) {
      throw new Error(`bench file misread: ${JSON.stringify(report).slice(0, 300)}`);
    }
    return report.records;
  });
}

/**
 * Exports a file the way `npm run logs -- FILE --format jsonl` does, every served event a JSON
 * line with the view's columns, into a stream that takes everything (what a pipe into DuckDB or a
 * file on a fast disk does).
 */
export function measureJsonlExport(file: string): Promise<Measured> {
  return measured(async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    const writer = new JsonlWriter(sink);
    const { summary } = await readLogs([file], undefined, writer);
    await writer.end(true);
    if (writer.lines !== summary.events || summary.badLines !== 0 || bytes === 0) {
      throw new Error(`bench export misread: ${writer.lines} lines for ${summary.events} events`);
    }
    return writer.lines;
  });
}

/**
 * The view's columns, each written as the text it is given: no value read, converted or escaped.
 * What measureExportFloor writes.
 */
const undecodedLine = jsonLineWriter(
  CANONICAL_COLUMNS.map(({ name }, i) => ({ name, read: (pieces: string[]) => pieces[i], plain: true })),
);

/**
 * What an export of `file` costs before a single value is decoded: the file read as the export
 * reads it (the summary counted, as the export's is), and each tracker hit written as a line of
 * the view's columns whose values are pieces of its logged query, cut as they stand, into the
 * same writer. Decoding must fit in what is left of a target's budget per event.
 */
export function measureExportFloor(file: string): Promise<Measured> {
  return measured(async () => {
    const writer = new JsonlWriter(new Writable({ write: (_chunk, _encoding, done) => done() }));
    const summary = emptySummary();
    const width = CANONICAL_COLUMNS.length;
    const pieces = new Array<string>(width);
    const report = await readAccessLogFile(
      file,
      (record) => {
        countRecord(summary, record);
        const query = record.getLogged(FIELD.uriQuery);
        if (query === undefined) return;
        const step = Math.ceil(query.length / width);
        for (let i = 0; i < width; i++) pieces[i] = query.slice(i * step, (i + 1) * step);
        writer.add(undecodedLine(pieces));
      },
      () => writer.flush(),
    );
    await writer.end(true);
    if (writer.lines !== report.records || report.badLines !== 0) {
      throw new Error(`bench floor misread: ${writer.lines} lines for ${report.records} records`);
    }
    return writer.lines;
  });
}

export const MEASUREMENTS = { measureReader, measureJsonlExport, measureExportFloor } as const;
export type Measurement = keyof typeof MEASUREMENTS;

if (require.main === module) {
  const [measurement, file] = process.argv.slice(2);
  if (!(measurement in MEASUREMENTS)) throw new Error(`unknown measurement ${measurement}`);
  MEASUREMENTS[measurement as Measurement](file).then(
    (measured) => process.stdout.write(JSON.stringify(measured)),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
