import * as assert from "assert";
import {
  AS_RECEIVED_PATTERN,
  cloudFrontEscapes,
  encodingOf,
  lineSign,
  PERCENT_ENCODED_PATTERN,
  sameRegExp,
} from "../../../collector/eventLogs/logEncoding";
import { encodeLogValue } from "../../../logs/accessLogFormat";

/** The rule as the SQL applies it: the two patterns, in order. */
function patternSign(query: string): string | undefined {
  if (sameRegExp(AS_RECEIVED_PATTERN).test(query)) return "as received";
  if (sameRegExp(PERCENT_ENCODED_PATTERN).test(query)) return "percent-encoded";
  return undefined;
}

/** A small deterministic generator: the same strings on every run. */
function* queries(count: number): Generator<string> {
  const pieces = ["%", "%2", "%25", "%3A", "%3a", "%20", "%7E", "%7F", "%C3%A9", "%ZZ", "2", "5", "A", "f"];
  const more = ["a=", "&", "+", " ", '"', "~", "é", "\u0001", "-", "%252F", "%2520", "x"];
  const all = [...pieces, ...more];
  let seed = 42;
  for (let i = 0; i < count; i++) {
    let q = "";
    const length = 1 + (i % 9);
    for (let k = 0; k < length; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      q += all[seed % all.length];
    }
    yield q;
  }
}

describe("the file-encoding rule (logEncoding.ts)", () => {
  it("CloudFront's own escapes are the documented set: controls, space, non-ASCII and a few", () => {
    const escaped = [...Array(128).keys()].filter((b) => b > 0x20 && b < 0x7f && cloudFrontEscapes(b));
    assert.strictEqual(String.fromCharCode(...escaped), '"#%<>[\\]^`{|}');
    assert.ok(cloudFrontEscapes(0x20) && cloudFrontEscapes(0x0a) && cloudFrontEscapes(0xc3));
    assert.ok(!cloudFrontEscapes(0x3a) && !cloudFrontEscapes(0x26) && !cloudFrontEscapes(0x7e));
  });

  it("the reader's scan and the SQL's patterns agree on every line", () => {
    let tested = 0;
    for (const q of queries(20000)) {
      assert.strictEqual(lineSign(q), patternSign(q), JSON.stringify(q));
      tested++;
    }
    assert.strictEqual(tested, 20000);
  });

  it("tells a tracker's query as received from the same query percent-encoded on top", () => {
    const sent = "e=pv&url=https%3A%2F%2Fshop.example%2F%3Fa%3D1%26b%3D2&page=50%25%20off";
    assert.strictEqual(lineSign(sent), "as received");
    assert.strictEqual(lineSign(encodeLogValue(sent)), "percent-encoded");
    assert.strictEqual(lineSign("e=pv&url=%ZZ"), "as received", "a bare % cannot come out of CloudFront");
    assert.strictEqual(lineSign("e=pp&tv=js-4&aid=shop"), undefined, "nothing to tell");
    assert.strictEqual(lineSign("e=pv&page=caf%C3%A9"), undefined, "bytes CloudFront escapes too");
  });

  it("names a file by its lines: one kind, none, or both", () => {
    assert.strictEqual(encodingOf(3, 0), "as received");
    assert.strictEqual(encodingOf(0, 3), "percent-encoded");
    assert.strictEqual(encodingOf(0, 0), "indistinct");
    assert.strictEqual(encodingOf(1, 9), "neither");
  });
});
