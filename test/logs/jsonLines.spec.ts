/**
 * JSON lines on awkward input. The reader checks a line's values for bad escapes with one scan of
 * the line, and compares its keys with the last record's instead of building a signature: both
 * must come out as the rule spelt out plainly below does (parse, stringify each value, check each
 * value), in a file percent-encoded on top, as received, and one that tells nothing.
 */
import * as assert from "assert";
import { AccessLogParser, decodeLogValue } from "../../logs/accessLog";

type Outcome = { record: Record<string, string> } | { problem: string };

/** What one JSON line must give, by the rule itself: every value looked at on its own. */
function plainReading(line: string, asReceived: boolean): Outcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { problem: "bad-json" };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { problem: "bad-json" };
  const entries = Object.entries(parsed).map(([name, value]: [string, unknown]) => [
    name,
    value === null ? "-" : typeof value === "object" ? JSON.stringify(value) : String(value),
  ]);
  if (!asReceived) {
    const bad = entries.find(([, value]) => /%(?![0-9A-Fa-f]{2})/.test(value));
    if (bad) return { problem: `bad-encoding: field ${bad[0]} has bad percent-encoding: ${bad[1]}` };
  }
  const decode = (value: string) => (asReceived ? (value === "-" ? "" : value) : decodeLogValue(value));
  return { record: Object.fromEntries(entries.map(([name, value]) => [name, decode(value)])) };
}

/** Lines whose query tells nothing about the file, so each file stays as its first line made it. */
const AWKWARD: readonly string[] = [
  // JSON escapes that make a `%`, or the hex digits after one, which the line's text does not show.
  String.raw`{"cs-uri-query":"e=pv","cs(User-Agent)":"Mozilla\u0025"}`,
  String.raw`{"cs-uri-query":"e=pv","cs(User-Agent)":"Mozilla\u0025zz"}`,
  String.raw`{"cs-uri-query":"e=pv","cs(Referer)":"https://a.example/%2\u0030x"}`,
  String.raw`{"cs-uri-query":"e=pv","cs(Referer)":"%\u0067g"}`,
  String.raw`{"cs-uri-query":"e=pv","cs(Referer)":"say \"hi\" %41 \\ %5C"}`,
  String.raw`{"cs-uri-query":"e=pv","cs(Referer)":"\ud800%41"}`,
  // Bad escapes at a value's end, where the line goes on with a quote.
  '{"cs-uri-query":"e=pv","cs(Referer)":"50%","sc-status":"200"}',
  '{"cs-uri-query":"e=pv","cs(Referer)":"%4","sc-status":"200"}',
  '{"cs-uri-query":"e=pv","cs(Referer)":"%A"}',
  '{"cs-uri-query":"e=pv","cs(Referer)":"%41%4"}',
  // A bad `%` in a key, none in the values; good escapes only.
  '{"cs-uri-query":"e=pv","odd%zz":"1","cs(Referer)":"%41%42"}',
  // Not strings: numbers, booleans, null, objects and arrays (stringified).
  '{"cs-uri-query":"e=pv","sc-bytes":1.50,"fle-status":true,"x-forwarded-for":null}',
  '{"cs-uri-query":"e=pv","nested":{"k":"%zz"}}',
  '{"cs-uri-query":"e=pv","nested":[1,"%41",{"2":"b","a":"%42"}]}',
  // Not ASCII, as received or escaped.
  '{"cs-uri-query":"e=pv","cs(Referer)":"Zahlung – ü 20%"}',
  '{"cs-uri-query":"e=pv","cs(Referer)":"Zahlung – ü %C3%BC"}',
  String.raw`{"cs-uri-query":"e=pv","cs(Referer)":"Zahlung \u2013 \u00fc"}`,
  // Whitespace between tokens, empty values, and `-`.
  '{ "cs-uri-query" : "e=pv" , "cs(Referer)" : "%zz" }',
  '{ "cs-uri-query" : "e=pv" , "cs(Referer)" : "%7A" }',
  '{"cs-uri-query":"","cs(Referer)":"-","sc-status":""}',
  // Missing fields and other key lists: no query, other order, back to the first one.
  '{"cs(Referer)":"%41","sc-status":"200"}',
  '{"sc-status":"200","cs(Referer)":"%41"}',
  '{"cs-uri-query":"e=pv","cs(User-Agent)":"%41"}',
  // Two key lists that join to the same text: each record is keyed by its own keys.
  '{"cs-uri-query":"e=pv","a b":"1","c":"2"}',
  '{"cs-uri-query":"e=pv","a":"1","b c":"2"}',
  // A query with escapes that tell nothing; a duplicate key whose value JSON.parse drops.
  '{"cs-uri-query":"e=pv&page=a%20b%7Bc%7D","cs(Referer)":"50%"}',
  '{"cs-uri-query":"a%zz","cs-uri-query":"e=pv&page=a%20b"}',
  '{"cs-uri-query":"x","cs(Referer)":"%zz","cs(Referer)":"%41","cs-uri-query":"e=pv"}',
  '{"cs-uri-query":5,"cs(Referer)":"%zz"}',
  // Not records at all.
  '{"cs-uri-query":"e=pv",',
  '["cs-uri-query","e=pv"]',
  '"cs-uri-query"',
];

/** The files' first lines: each decides how the file's other lines are read. */
const FIRST_LINES = {
  "percent-encoded": { line: '{"cs-uri-query":"url=https%253A%252F%252Fa.example"}', asReceived: false },
  "as received": { line: '{"cs-uri-query":"url=https%3A%2F%2Fa.example"}', asReceived: true },
  indistinct: { line: '{"cs-uri-query":"e=pv"}', asReceived: false },
};

describe("JSON lines on awkward input: as the rule read value by value gives them", () => {
  for (const [encoding, first] of Object.entries(FIRST_LINES)) {
    it(`in a file ${encoding}`, () => {
      const outcomes = new Map<number, Outcome>();
      const parser = new AccessLogParser("x.json", (record) =>
        outcomes.set(record.line, { record: record.toObject() }),
      );
      parser.push([first.line, ...AWKWARD].join("\n") + "\n");
      parser.end();
      for (const problem of parser.report.problems) {
        outcomes.set(problem.line ?? 0, {
          problem: problem.kind === "bad-json" ? problem.kind : `${problem.kind}: ${problem.message}`,
        });
      }
      assert.strictEqual(parser.report.encoding, encoding);
      AWKWARD.forEach((line, i) => {
        assert.deepStrictEqual(outcomes.get(i + 2), plainReading(line, first.asReceived), line);
      });
    });
  }

  it("the awkward lines hold bad escapes the line's text does not show, and the other way round", () => {
    // Without these, the cases above would not try the one scan of the line against the rule.
    const hidden = AWKWARD.filter((line) => {
      const outcome = plainReading(line, false);
      return "problem" in outcome && outcome.problem !== "bad-json" && !/%(?![0-9A-Fa-f]{2})/.test(line);
    });
    const shownOnly = AWKWARD.filter((line) => {
      const outcome = plainReading(line, false);
      return "record" in outcome && /%(?![0-9A-Fa-f]{2})/.test(line);
    });
    assert.ok(hidden.length >= 2, `lines whose bad escape only a JSON escape makes: ${hidden.length}`);
    assert.ok(shownOnly.length >= 2, `lines whose text shows a bad escape no value has: ${shownOnly.length}`);
  });
});
