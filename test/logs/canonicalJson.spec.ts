/**
 * What `--format jsonl` writes is JSON.stringify of the canonical event, byte for byte, for
 * awkward values too: quotes, backslashes, control characters, lone surrogates, non-ASCII text,
 * numbers JSON has no text for. And the per-parameter decoding the export does is the view's
 * reading of the whole query (canonicalParams), in both of a file's encodings.
 */
import * as assert from "assert";
import { CANONICAL_COLUMNS, EVENT_NAMES } from "../../collector/analytics/canonicalEvent";
import { lineSign } from "../../collector/eventLogs/logEncoding";
import { AccessLogParser, AccessLogRecord } from "../../logs/accessLog";
import { FIELD } from "../../logs/accessLogFields";
import { formatAccessLog, formatV2JsonLog, pixelHitRow } from "../../logs/accessLogFormat";
import {
  canonicalParams,
  servedCanonicalEvent,
  servedCanonicalLine,
  CanonicalEvent,
} from "../../logs/canonicalEvent";
import { jsonLineWriter, utf8Bytes } from "../../logs/canonicalJson";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { encodeBase64UrlJson } from "../../logs/trackerPayload";

const AWKWARD_TEXT = [
  'say "hi"',
  "back\\slash",
  "tab\there, newline\nthere, nul\u0000, unit separator\u001f, delete\u007f",
  "Your basket – Example Shop",
  "Zahlung ✓ ÿü",
  "emoji \u{1F600}",
  "lone \ud800 high",
  "lone \udc00 low",
  "pair then lone \u{1F600}\ud83d",
  "\u2028\u2029",
  "",
  "plain",
];

/** Whether text has no lone surrogate: UTF-8 can hold it as it is. */
const wellFormed = (text: string): boolean => Buffer.from(text, "utf8").toString("utf8") === text;

/** A tracker's query (encodeURIComponent, as the tracker builds it) holding awkward values. */
function awkwardQuery(text: string, i: number): string {
  const params: Record<string, string> = {
    e: "ue",
    eid: `awkward-${i}`,
    page: text,
    url: `https://www.example.com/${text}?q=${text}#${text}`,
    se_ca: text,
    se_va: ["1e999", "-0", "2.5", "-1e-7"][i % 4],
    vid: ["-0", "3", "2147483647"][i % 3],
    ue_pr: JSON.stringify({ schema: "iglu:x/y/jsonschema/1-0-0", data: { text } }),
    cx: encodeBase64UrlJson({ schema: "s", data: [{ text }] }),
  };
  // encodeURIComponent refuses lone surrogates; a hand-made request escapes them as WTF-8 bytes.
  const encode = (v: string) =>
    wellFormed(v)
      ? encodeURIComponent(v)
      : [...v].map((c) => (wellFormed(c) ? encodeURIComponent(c) : "%ED%A0%80")).join("");
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encode(v)}`)
    .join("&");
}

function recordsOf(text: string): AccessLogRecord[] {
  const records: AccessLogRecord[] = [];
  const parser = new AccessLogParser("t.log", (record) => records.push(record));
  parser.push(text);
  parser.end();
  assert.strictEqual(parser.report.badLines, 0, JSON.stringify(parser.report.problems));
  return records;
}

const rows = AWKWARD_TEXT.map((text, i) =>
  pixelHitRow(awkwardQuery(text, i), { "cs(User-Agent)": text || "-" }),
);
const FILES: Record<string, string> = {
  "legacy W3C (percent-encoded)": formatAccessLog(rows),
  "v2 JSON, percent-encoded": formatV2JsonLog(rows, FIELD_SETS.privacy),
  "v2 JSON, as received": formatV2JsonLog(rows, FIELD_SETS.privacy, "as received"),
  // Lone surrogates straight from JSON's own escapes, which a JSON log file may hold.
  "v2 JSON with \\ud800 in its query": rows
    .map((row) => JSON.stringify({ ...row, "cs-uri-query": `e=pv&page=\ud800&se_ca=\udfff"x` }) + "\n")
    .join(""),
};

describe("the JSONL export's lines", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`are JSON.stringify of the canonical event, byte for byte: ${name}`, () => {
      const records = recordsOf(text);
      assert.strictEqual(records.length, rows.length);
      for (const record of records) {
        const event = servedCanonicalEvent(record) as CanonicalEvent;
        const line = servedCanonicalLine(record) as string;
        const expected = Buffer.from(JSON.stringify(event), "utf8");
        assert.ok(Buffer.from(line, "latin1").equals(expected), `${line}\n${expected.toString()}`);
        assert.ok(![...line].some((c) => c.charCodeAt(0) > 0xff), "one character a byte");
      }
    });
  }

  it("carry the awkward values themselves, lone surrogates escaped, numbers JSON cannot print as null", () => {
    const lines = recordsOf(FILES["legacy W3C (percent-encoded)"]).map((record) =>
      Buffer.from(servedCanonicalLine(record) as string, "latin1").toString("utf8"),
    );
    const events = lines.map((line) => JSON.parse(line) as CanonicalEvent);
    AWKWARD_TEXT.forEach((text, i) => {
      if (wellFormed(text)) assert.strictEqual(events[i].page_title, text || null, text);
    });
    assert.deepStrictEqual(
      events.slice(0, 4).map((e) => e.se_value),
      [null, 0, 2.5, -1e-7],
    );
    assert.strictEqual(events[0].domain_sessionidx, 0);
    assert.match(lines[3], /"page_title":"Your basket – Example Shop"/);
    assert.match(
      lines[2],
      /"page_title":"tab\\there, newline\\nthere, nul\\u0000, unit separator\\u001f, delete\u007f"/,
    );
    const [lone] = recordsOf(FILES["v2 JSON with \\ud800 in its query"]);
    const line = Buffer.from(servedCanonicalLine(lone) as string, "latin1").toString("utf8");
    assert.match(line, /"page_title":"\\ud800","page_referrer"/);
    assert.match(line, /"se_category":"\\udfff\\"x"/);
  });

  it("name every column once, in the map's order, and refuse keys an object would reorder", () => {
    const values: CanonicalEvent = {
      a: null,
      'b"–': "x\u0000–",
      c: true,
      d: false,
      e: 1e300 * 10,
      f: -0,
      g: 1.5,
    };
    const columns = Object.entries(values).map(([name, value]) => ({
      name,
      read: () => value,
      plain: false,
    }));
    const write = jsonLineWriter(columns);
    assert.strictEqual(Buffer.from(write(undefined), "latin1").toString("utf8"), JSON.stringify(values));
    assert.strictEqual(jsonLineWriter([])(undefined), "{}");
    assert.throws(() => jsonLineWriter([...columns, columns[0]]), /unique/);
    assert.throws(() => jsonLineWriter([{ name: "7", read: () => null, plain: false }]), /array index/);
    assert.strictEqual(utf8Bytes("–"), "\u00e2\u0080\u0093");
    assert.strictEqual(utf8Bytes("plain"), "plain");
  });

  it("hold text as Buffer's UTF-8 bytes, however many characters are not ASCII", () => {
    const texts = [
      ...AWKWARD_TEXT,
      "\ud83d",
      "a\udbff\udfffb",
      "\udc00\ud800",
      "ß".repeat(7),
      "ß".repeat(8),
      "日本語のページタイトル",
      "x\u07ff\u0800\uffff\u{10000}\u{10ffff}y",
    ];
    for (const text of texts) {
      assert.strictEqual(utf8Bytes(text), Buffer.from(text, "utf8").toString("latin1"), JSON.stringify(text));
    }
  });

  it("write event names without escaping: each is plain ASCII", () => {
    for (const name of Object.values(EVENT_NAMES)) assert.match(name, /^[a-z_]+$/);
  });
});

describe("the export's reading of a query", () => {
  it("is the view's reading of the whole decoded query, in either encoding", () => {
    const queries = [
      ...AWKWARD_TEXT.map(awkwardQuery),
      // A literal non-ASCII character beside an escape that is not UTF-8: the whole query is
      // decoded from its bytes, the literal character included.
      "e=pv&page=é&url=%C3",
      "e=pv&page=caf%C3%A9&refr=%25C3&se_ca=a+b%2B",
      "e=pv&aid=-&tna=&tna=sp&url=%ZZ&url=http%3A%2F%2Fx%2F",
      // Escapes in names, and a mapped name's letters escaped: no name of the map.
      "e=pv&%61id=shop&t%6Ea=sp&a%20id=x&aid=app&tv=%2B+",
    ];
    for (const encoding of ["percent-encoded", "as received"] as const) {
      const records = recordsOf(
        formatV2JsonLog(
          queries.map((q) => pixelHitRow(q)),
          FIELD_SETS.privacy,
          encoding,
        ),
      );
      for (const record of records) {
        const params = canonicalParams(record.get(FIELD.uriQuery) ?? "");
        const event = servedCanonicalEvent(record) as CanonicalEvent;
        for (const { name, source } of CANONICAL_COLUMNS) {
          if (source.kind !== "param" || source.conversion !== "text") continue;
          const value = source.params.map((p) => params[p]).find((v) => v !== undefined && v !== "") ?? null;
          assert.strictEqual(
            event[name],
            value,
            `${encoding} ${name} of ${record.getLogged(FIELD.uriQuery)}`,
          );
        }
      }
    }
  });

  it("relies on CloudFront never escaping a separator: a line with %26 or %3D is read as received", () => {
    for (const query of ["e=pv&url=a%26e%3Dse", "e=pv&x%3D=1", "e=pv&page=%2526%26"]) {
      assert.strictEqual(lineSign(query), "as received", query);
    }
  });
});
