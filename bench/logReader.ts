/**
 * How fast the access-log reader goes, and whether its memory stays flat as files grow. Writes
 * gzipped files of realistic 33-field tracker lines to the OS temp dir, reads them the way
 * `npm run logs` does, and prints lines per second and peak RSS next to `zcat | wc -l`, the
 * floor no parser of this file can beat.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { pipeline } from "stream/promises";
import { Readable } from "stream";
import * as zlib from "zlib";
import { FIELD_SETS } from "../collector/eventLogs/logFields";
import { formatLogHeader, formatLogLine, formatV2JsonLog, pixelHitRow } from "../logs/accessLogFormat";
import { CLOUDFRONT_FIELDS } from "../logs/accessLogFields";
import { encodeTrackerQuery } from "../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../logs/trackerPayload";
import type { Measured, Measurement } from "./measureChild";
import { makeScratchDir } from "./scratchDir";

const TARGET_LINES_PER_SECOND = 250_000;
const HEAP_CAP_MB = 64;
/** `npm run logs -- --format jsonl` on the tracker mix (issue #18). */
const TARGET_EXPORT_EVENTS_PER_SECOND = 100_000;

const WEB_PAGE_CONTEXT = contextsParam([
  {
    schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
    data: { id: "7b1c0f5e-3a2d-4c8b-9e6f-1a2b3c4d5e6f" },
  },
]);

/**
 * What a browser tracker sends over a visit besides the page view: page pings, a structured
 * event and self-describing events, each with the web_page context the tracker attaches.
 */
const TRACKER_MIX: readonly Readonly<Record<string, string>>[] = [
  { e: "pv", ...WEB_PAGE_CONTEXT },
  { e: "pp", pp_mix: "0", pp_max: "0", pp_miy: "120", pp_may: "880", ...WEB_PAGE_CONTEXT },
  { e: "pp", pp_mix: "0", pp_max: "0", pp_miy: "880", pp_may: "1600", ...WEB_PAGE_CONTEXT },
  { e: "se", se_ca: "basket", se_ac: "add", se_la: "SKU-1234", se_va: "2", ...WEB_PAGE_CONTEXT },
  {
    e: "ue",
    ...selfDescribingEventParam({
      schema: "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
      data: {
        targetUrl: "https://www.example.com/shop/checkout",
        elementId: "checkout",
        elementClasses: ["btn"],
      },
    }),
    ...WEB_PAGE_CONTEXT,
  },
  {
    e: "ue",
    ...selfDescribingEventParam({
      schema: "iglu:com.example/checkout_step/jsonschema/1-0-0",
      data: { step: 2, label: "Zahlung" },
    }),
    ...WEB_PAGE_CONTEXT,
  },
];

/** An event as the JavaScript tracker sends it, with a placeholder for the per-line values. */
function templateLine(
  event: Readonly<Record<string, string>> = { e: "pv" },
  format: BenchFormat = "legacy",
): string {
  const query = encodeTrackerQuery({
    ...event,
    url: "https://www.example.com/shop/basket?step=2&utm_source=newsletter",
    page: "Your basket – Example Shop",
    refr: "https://www.example.com/shop/",
    tv: "js-3.23.0",
    tna: "sp",
    aid: "shop",
    p: "web",
    tz: "Europe/Berlin",
    lang: "de-DE",
    cs: "UTF-8",
    res: "1920x1080",
    cd: "24",
    cookie: "1",
    eid: "EVENTID",
    dtm: "1715940942000",
    vp: "1280x720",
    ds: "1280x3400",
    vid: "3",
    sid: "6f1c8b9e-2d5a-4c1e-9a0b-7e3f2d1c0b9a",
    duid: "0d4f3c2b-1a09-4e8d-9c7b-6a5f4e3d2c1b",
    stm: "1715940942001",
    ...event,
  });
  return format === "v2 json"
    ? formatV2JsonLog([pixelHitRow(query)], FIELD_SETS.privacy).trimEnd()
    : formatLogLine(CLOUDFRONT_FIELDS, pixelHitRow(query));
}

/** Legacy W3C files, or what prod's v2 delivery writes: JSON lines of the privacy fields. */
type BenchFormat = "legacy" | "v2 json";

async function writeLogFile(
  file: string,
  lines: number,
  events: readonly Readonly<Record<string, string>>[] = [{ e: "pv" }],
  format: BenchFormat = "legacy",
): Promise<void> {
  const templates = events.map((event) => templateLine(event, format).split("EVENTID"));
  function* chunks(): Generator<string> {
    if (format === "legacy") yield formatLogHeader();
    let batch = "";
    for (let i = 0; i < lines; i++) {
      const [before, after] = templates[i % templates.length];
      batch += `${before}${i.toString(16).padStart(8, "0")}-4b1e-8c2d-${(i * 7919).toString(16).padStart(12, "0")}${after}\n`;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = "";
      }
    }
    yield batch;
  }
  await pipeline(Readable.from(chunks()), zlib.createGzip(), fs.createWriteStream(file));
}

const CHILD_MODULE = path.join(__dirname, "measureChild.ts");
const CHILD_TRANSPILER = path.join(__dirname, "swcRegister.js");

/** Each measurement in a fresh process, so one run's heap does not inflate the next one's peak. */
function measureReaderInChild(
  file: string,
  nodeFlags: string[] = [],
  measure: Measurement = "measureReader",
): Measured {
  const out = execFileSync(
    process.execPath,
    [...nodeFlags, "-r", CHILD_TRANSPILER, CHILD_MODULE, measure, file],
    {
      encoding: "utf8",
      cwd: path.resolve(__dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return JSON.parse(out) as Measured;
}

/**
 * The same measurement with V8's old space capped: a run that kept what it read could not finish.
 * The child loads only the measurement's modules, transpiled by swc (measureChild.ts), so the cap
 * is on the reader's heap plus a few MiB of code, not on ts-node and TypeScript's. When the child
 * does not finish, why: "heap limit", or the first line of what else ended it, so the rest of the
 * bench still runs.
 */
function measureWithHeapCap(file: string, measure: Measurement): Measured | string {
  try {
    return measureReaderInChild(file, [`--max-old-space-size=${HEAP_CAP_MB}`], measure);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    if (/heap limit|heap out of memory/i.test(stderr)) return "heap limit";
    return stderr.trim().split("\n")[0] || (error as Error).message;
  }
}

/** What a capped run's line says the cap holds. */
const cappedChild = (measured: Measured): string =>
  `in a child holding ${measured.startHeapMb.toFixed(0)} MiB of heap before reading (the modules it ` +
  `needs, swc-transpiled), with V8's old space capped at ${HEAP_CAP_MB} MiB`;

function measureZcat(file: string): { lines: number; seconds: number } {
  const start = performance.now();
  const out = execFileSync("sh", ["-c", `zcat '${file}' | wc -l`], { encoding: "utf8" });
  return { lines: Number(out.trim()), seconds: (performance.now() - start) / 1000 };
}

const rate = (lines: number, seconds: number): string =>
  `${Math.round(lines / seconds).toLocaleString("en")} lines/s`;

export async function benchLogReader(): Promise<void> {
  const { dir, cleanup } = makeScratchDir("bench-logreader");
  try {
    console.log("access-log reader (33-field tracker lines, gzipped, one core)");
    const results: Measured[] = [];
    let largest = "";
    // BENCH_LINES=n,m overrides the file sizes, for a quick run while working on the reader.
    for (const lines of (process.env.BENCH_LINES ?? "250000,1000000").split(",").map(Number)) {
      const file = path.join(dir, `E2BENCH.2024-05-17-10.${lines}.gz`);
      await writeLogFile(file, lines);
      const sizeMb = fs.statSync(file).size / 2 ** 20;
      const zcat = measureZcat(file);
      const reader = measureReaderInChild(file);
      results.push(reader);
      console.log(
        `  ${lines.toLocaleString("en")} lines (${sizeMb.toFixed(1)} MiB gz): ` +
          `reader ${reader.seconds.toFixed(2)} s wall = ${rate(reader.lines, reader.seconds)}, ` +
          `${reader.cpuSeconds.toFixed(2)} s CPU = ${rate(reader.lines, reader.cpuSeconds)} per CPU second, ` +
          `peak RSS ${reader.peakRssMb.toFixed(0)} MiB (${(reader.peakRssMb - reader.startRssMb).toFixed(0)} MiB over the ` +
          `${reader.startRssMb.toFixed(0)} MiB at start); ` +
          `zcat | wc -l ${zcat.seconds.toFixed(2)} s = ${rate(zcat.lines, zcat.seconds)}`,
      );
      if (largest) fs.rmSync(largest);
      largest = file;
    }
    const small = results[0];
    const large = results[results.length - 1];
    // Judged on CPU time: wall time also measures whatever else the machine is running.
    const fastEnough = large.lines / large.cpuSeconds >= TARGET_LINES_PER_SECOND;
    console.log(
      `  target ${TARGET_LINES_PER_SECOND.toLocaleString("en")} lines per CPU second: ${fastEnough ? "met" : "NOT MET"}`,
    );
    // Self-describing events have their payload decoded for the summary's count by schema.
    const mixFile = path.join(dir, `E2BENCH.2024-05-17-11.mix.gz`);
    await writeLogFile(mixFile, large.lines, TRACKER_MIX);
    const mix = measureReaderInChild(mixFile);
    console.log(
      `  ${mix.lines.toLocaleString("en")} lines of a tracker mix (pv, 2 pp, se, 2 ue, each with a context): ` +
        `${rate(mix.lines, mix.cpuSeconds)} per CPU second, ${rate(mix.lines, mix.seconds)} wall`,
    );
    // The JSONL export decodes every event whole (JSON payloads included) and writes it.
    const exported = measureReaderInChild(mixFile, [], "measureJsonlExport");
    const exportFast = exported.lines / exported.cpuSeconds >= TARGET_EXPORT_EVENTS_PER_SECOND;
    console.log(
      `  JSONL export (npm run logs -- --format jsonl) of the same mix: ${exported.lines.toLocaleString("en")} events, ` +
        `${exported.cpuSeconds.toFixed(2)} s CPU = ${rate(exported.lines, exported.cpuSeconds).replace("lines", "events")} ` +
        `per CPU second, ${rate(exported.lines, exported.seconds).replace("lines", "events")} wall; ` +
        `target ${TARGET_EXPORT_EVENTS_PER_SECOND.toLocaleString("en")} events per CPU second: ` +
        `${exportFast ? "met" : "NOT MET"}`,
    );
    // What the export costs before it decodes a value: the share of a target's budget that
    // decoding can have.
    const floor = measureReaderInChild(mixFile, [], "measureExportFloor");
    const budgetUs = 1e6 / TARGET_EXPORT_EVENTS_PER_SECOND;
    const floorUs = (floor.cpuSeconds * 1e6) / floor.lines;
    const exportUs = (exported.cpuSeconds * 1e6) / exported.lines;
    console.log(
      `  the export's floor on the same mix (read and summarised as the export does, each event ` +
        `written as a line of the view's columns cut from its logged query, no value decoded): ` +
        `${floor.cpuSeconds.toFixed(2)} s CPU = ${rate(floor.lines, floor.cpuSeconds).replace("lines", "events")} ` +
        `per CPU second, ${floorUs.toFixed(1)} µs an event: of the target's ${budgetUs.toFixed(0)} µs, ` +
        `${Math.max(0, budgetUs - floorUs).toFixed(1)} µs are left for decoding, which takes ` +
        `${(exportUs - floorUs).toFixed(1)} µs now`,
    );
    // Bounded memory, as for the reader: with the heap capped, an export that kept lines could
    // not finish.
    const cappedExport = measureWithHeapCap(mixFile, "measureJsonlExport");
    console.log(
      typeof cappedExport === "string"
        ? `  JSONL export with V8's old space capped at ${HEAP_CAP_MB} MiB: DID NOT FINISH (${cappedExport})`
        : `  JSONL export of ${cappedExport.lines.toLocaleString("en")} events again ${cappedChild(cappedExport)}: ` +
            `finished, peak RSS ${cappedExport.peakRssMb.toFixed(0)} MiB`,
    );
    fs.rmSync(mixFile);
    // Prod's v2 files: every line parsed as JSON, so slower per line than W3C's cut-on-demand.
    const jsonFile = path.join(dir, `v2.json.gz`);
    await writeLogFile(jsonFile, large.lines, TRACKER_MIX, "v2 json");
    const json = measureReaderInChild(jsonFile);
    console.log(
      `  ${json.lines.toLocaleString("en")} lines of the same mix as v2 JSON (privacy fields): ` +
        `${rate(json.lines, json.cpuSeconds)} per CPU second, ${rate(json.lines, json.seconds)} wall, ` +
        `${(fs.statSync(jsonFile).size / 2 ** 20).toFixed(1)} MiB gz`,
    );
    const jsonExport = measureReaderInChild(jsonFile, [], "measureJsonlExport");
    console.log(
      `  JSONL export of the v2 JSON mix: ` +
        `${rate(jsonExport.lines, jsonExport.cpuSeconds).replace("lines", "events")} per CPU second`,
    );
    fs.rmSync(jsonFile);
    // V8 lets the heap grow with garbage when it can, so peak RSS says little about what the
    // reader keeps. Capping the heap does: a reader that held on to lines could not finish.
    const capped = measureWithHeapCap(largest, "measureReader");
    const uncapped =
      `uncapped peak RSS over start: ${(small.peakRssMb - small.startRssMb).toFixed(0)} MiB for ` +
      `${small.lines.toLocaleString("en")} lines, ${(large.peakRssMb - large.startRssMb).toFixed(0)} MiB for ` +
      `${large.lines.toLocaleString("en")}`;
    console.log(
      typeof capped === "string"
        ? `  ${large.lines.toLocaleString("en")} lines again with V8's old space capped at ${HEAP_CAP_MB} MiB: ` +
            `DID NOT FINISH (${capped}); ${uncapped}`
        : `  ${capped.lines.toLocaleString("en")} lines again ${cappedChild(capped)}: finished, peak RSS ` +
            `${capped.peakRssMb.toFixed(0)} MiB, ${rate(capped.lines, capped.cpuSeconds)} per CPU second; ${uncapped}`,
    );
  } finally {
    cleanup();
  }
}
