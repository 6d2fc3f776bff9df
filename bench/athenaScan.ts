/**
 * What Athena scans for the collector's events: generates page views (a webPage context, unique
 * ids per event, a few thousand visitors, varied pages and browsers), writes them as legacy W3C
 * lines and as prod's v2 JSON records, gzips them as CloudFront does, and prints bytes per event
 * and what a month of 100 M events scans and costs in each table. An estimate from generated
 * lines: real traffic differs in URL lengths and context counts.
 */
import { randomUUID } from "crypto";
import * as zlib from "zlib";
import { queryCostDollars, formatBytes, formatDollars } from "../commands/athena/queryCost";
import { FIELD_SETS } from "../collector/eventLogs/logFields";
import { encodeLogValue, formatLogLine, pixelHitRow } from "../logs/accessLogFormat";
import { CLOUDFRONT_FIELDS } from "../logs/accessLogFields";
import { encodeTrackerQuery } from "../logs/trackerEvent";

const EVENTS_PER_MONTH = 100_000_000;
const RETENTION_DAYS = 395;
const SAMPLE = 50_000;

const PAGES = Array.from({ length: 200 }, (_, i) => `https://www.example.com/shop/item-${i}?ref=list`);
const AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];
const VISITORS = Array.from({ length: 3000 }, () => ({ duid: randomUUID(), sid: randomUUID() }));

const base64url = (s: string) => Buffer.from(s).toString("base64url");

/** The values of one page view, by AWS field name, as CloudFront logs them. */
function row(i: number): Record<string, string> {
  const visitor = VISITORS[(i * 7919) % VISITORS.length];
  const page = PAGES[(i * 104729) % PAGES.length];
  const t = 1_780_000_000_000 + i * 72;
  const context = {
    schema: "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0",
    data: [
      { schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", data: { id: randomUUID() } },
    ],
  };
  const query = encodeTrackerQuery({
    e: "pv",
    url: page,
    page: `Item ${i % PAGES.length} – Example Shop`,
    refr: "https://www.example.com/shop/",
    tv: "js-4.1.0",
    tna: "sp",
    aid: "shop",
    p: "web",
    tz: "Europe/Berlin",
    lang: "de-DE",
    cs: "UTF-8",
    res: "1920x1080",
    cd: "24",
    cookie: "1",
    eid: randomUUID(),
    dtm: String(t),
    vp: "1280x720",
    ds: "1280x3400",
    vid: String(1 + (i % 9)),
    sid: visitor.sid,
    duid: visitor.duid,
    stm: String(t + 3),
    cx: base64url(JSON.stringify(context)),
  });
  const time = new Date(t);
  return {
    ...pixelHitRow(query, {
      date: time.toISOString().slice(0, 10),
      time: time.toISOString().slice(11, 19),
      "cs(User-Agent)": AGENTS[i % AGENTS.length],
      "x-edge-request-id": randomUUID().replace(/-/g, "") + "==",
      "c-port": String(1024 + ((i * 31) % 60000)),
    }),
    // The v2-only fields of the privacy set.
    "timestamp(ms)": String(t),
    "origin-fbl": "-",
    "origin-lbl": "-",
    asn: String(3320 + (i % 40)),
    "c-country": ["DE", "FR", "NL", "IE", "SE"][i % 5],
    "cache-behavior-path-pattern": "*",
  };
}

/** A legacy (W3C) line: the 33 fields, tab-separated. */
const legacyLine = (r: Record<string, string>) => formatLogLine(CLOUDFRONT_FIELDS, r);

/** A v2 JSON record with prod's privacy fields (values as CloudFront encodes them in W3C). */
const jsonLine = (r: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(FIELD_SETS.privacy.map((f) => [f, encodeLogValue(r[f] ?? "")])));

function measure(format: (r: Record<string, string>) => string): { raw: number; gz: number } {
  const text = Array.from({ length: SAMPLE }, (_, i) => format(row(i))).join("\n") + "\n";
  return { raw: Buffer.byteLength(text) / SAMPLE, gz: zlib.gzipSync(text).length / SAMPLE };
}

export function benchAthenaScan(): void {
  console.log(`Athena scan estimate (${SAMPLE} generated page views with a webPage context)`);
  const kept = RETENTION_DAYS / 30;
  for (const [name, format, partitioned] of [
    ["legacy W3C, 33 fields", legacyLine, false],
    ["v2 JSON, privacy fields (prod)", jsonLine, true],
  ] as const) {
    const { raw, gz } = measure(format);
    const month = gz * EVENTS_PER_MONTH;
    console.log(`  ${name}: ${raw.toFixed(0)} bytes a line, ${gz.toFixed(0)} gzipped (what Athena scans)`);
    const queries: [string, number][] = partitioned
      ? [
          ["one day's partitions", month / 30],
          ["one month's partitions", month],
        ]
      : [[`any query (all ${RETENTION_DAYS} days kept)`, month * kept]];
    for (const [what, bytes] of queries) {
      const cost = formatDollars(queryCostDollars(bytes));
      console.log(`    ${EVENTS_PER_MONTH / 1e6} M events/month, ${what}: ${formatBytes(bytes)}, ${cost}`);
    }
  }
}

if (require.main === module) benchAthenaScan();
