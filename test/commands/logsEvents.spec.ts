import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { main } from "../../commands/logs";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../logs/trackerPayload";
import { captureOutput } from "../support/captureOutput";
import { makeTempDir } from "../support/tempDir";

/** `npm run logs` on what a browser tracker sends: every kind of event, decoded. */
describe("npm run logs: tracker payloads", () => {
  let temp: ReturnType<typeof makeTempDir>;
  const page = {
    url: "https://www.example.com/shop/basket",
    page: "Basket – Example",
    refr: "https://www.example.com/",
  };
  const webPage = {
    schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
    data: { id: "w1" },
  };
  const custom = { schema: "iglu:com.example/visitor/jsonschema/1-0-0", data: { tier: "gold" } };
  const checkout = {
    schema: "iglu:com.example/checkout_step/jsonschema/1-0-0",
    data: { step: 2, label: "Zahlung ✓" },
  };
  const contexts = contextsParam([webPage, custom]);

  beforeEach(() => {
    temp = makeTempDir("logs-events");
    const rows = [
      pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "pv-1", ...page, ...contextsParam([webPage]) })),
      // The preflight a tracker with customHeaders sends first: not an event.
      pixelHitRow(encodeTrackerQuery({ e: "se", eid: "se-1" }), {
        "cs-method": "OPTIONS",
        "sc-status": "204",
      }),
      pixelHitRow(
        encodeTrackerQuery({ e: "se", eid: "se-1", se_ca: "basket", se_ac: "add", se_va: "2", ...page }),
      ),
      pixelHitRow(
        encodeTrackerQuery({
          e: "ue",
          eid: "ue-1",
          ...page,
          ...selfDescribingEventParam(checkout),
          ...contexts,
        }),
      ),
      pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "head" }), { "cs-method": "HEAD" }),
      pixelHitRow(
        encodeTrackerQuery({ e: "ue", eid: "ue-bad", ...page, ue_px: "eyJzY2hlbWEiOi*", cx: "e30" }),
      ),
    ];
    fs.writeFileSync(
      path.join(temp.dir, "E2EXAMPLE.2024-05-17-10.aaaa.gz"),
      zlib.gzipSync(formatAccessLog(rows)),
    );
  });
  afterEach(() => temp.cleanup());

  it("summarises events by type and self-describing events by schema, leaving out OPTIONS and HEAD", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir], output), 0);
    const text = output.stdout.join("\n");
    assert.match(text, /events: +4 /);
    assert.match(
      text,
      new RegExp(
        [
          "by type: +2 self-describing event \\(e=ue\\)",
          " +1 \\(payload does not decode\\)",
          " +1 iglu:com\\.example/checkout_step/jsonschema/1-0-0",
          " +1 page view \\(e=pv\\)",
          " +1 structured event \\(e=se\\)",
        ].join("\n"),
      ),
    );
    assert.match(text, /bad events: 1 /);
    assert.match(
      output.stderr.join("\n"),
      /aaaa\.gz:8: bad-payload: ue_px: not base64: unexpected "\*" at offset 14; raw value: eyJzY2hlbWEiOi\*/,
    );
  });

  it("carries the counts in --json", async () => {
    const output = captureOutput();
    await main([temp.dir, "--json"], output);
    const summary = JSON.parse(output.stdout.join("\n"));
    assert.deepStrictEqual(summary.byEventType, { pv: 1, se: 1, ue: 2 });
    assert.deepStrictEqual(summary.bySchema, { [checkout.schema]: 1, "(payload does not decode)": 1 });
    assert.strictEqual(summary.badPayloads, 1);
  });

  it("shows a self-describing event's type, page, schema, data and each context's schema", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir, "--event-id", "ue-1"], output), 0);
    const text = output.stdout.join("\n");
    const block = text.slice(text.indexOf("event ue-1 at"));
    assert.match(block, /^event ue-1 at .*aaaa\.gz:6$/m);
    assert.match(block, /^ {2}type: +self-describing event \(e=ue\)$/m);
    assert.match(block, /^ {2}page: +https:\/\/www\.example\.com\/shop\/basket$/m);
    assert.match(block, /^ {2}title: +Basket – Example$/m);
    assert.match(block, /^ {2}referrer: +https:\/\/www\.example\.com\/$/m);
    assert.match(block, /^ {2}schema: +iglu:com\.example\/checkout_step\/jsonschema\/1-0-0$/m);
    assert.match(block, /^ {2}data: +\{"step":2,"label":"Zahlung ✓"\}$/m);
    const contextLines = block.split("\n").filter((line) => /^ {2}context:/.test(line));
    assert.deepStrictEqual(
      contextLines.map((line) => line.replace(/^ {2}context: +/, "")),
      [webPage.schema, custom.schema],
    );
    assert.doesNotMatch(block, /problem/);
  });

  it("shows a structured event's fields", async () => {
    const output = captureOutput();
    await main([temp.dir, "--event-id", "se-1"], output);
    const block = output.stdout.join("\n").slice(output.stdout.join("\n").indexOf("event se-1 at"));
    assert.strictEqual(block.match(/^event se-1 at/gm)?.length, 1, "the preflight is not a match");
    assert.match(block, /^ {2}type: +structured event \(e=se\)$/m);
    assert.match(block, /^ {2}category: +basket$/m);
    assert.match(block, /^ {2}action: +add$/m);
    assert.match(block, /^ {2}value: +2$/m);
  });

  it("carries the decoded objects in --json", async () => {
    const output = captureOutput();
    await main([temp.dir, "--event-id", "ue-1", "--json"], output);
    const { matches } = JSON.parse(output.stdout.join("\n"));
    assert.strictEqual(matches.length, 1);
    const [event] = matches;
    assert.deepStrictEqual(event.type, { code: "ue", name: "self-describing event" });
    assert.deepStrictEqual(event.page, { url: page.url, title: page.page, referrer: page.refr });
    assert.deepStrictEqual(event.selfDescribing, checkout);
    assert.deepStrictEqual(event.contexts, [webPage, custom]);
    assert.deepStrictEqual(event.problems, []);
    assert.strictEqual(event.params.ue_px, selfDescribingEventParam(checkout).ue_px);
  });

  it("shows what does not decode, why, and the raw value, and still exits 0", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir, "--event-id", "ue-bad"], output), 0);
    const block = output.stdout.join("\n").slice(output.stdout.join("\n").indexOf("event ue-bad at"));
    assert.match(block, /^ {2}page: +https:\/\/www\.example\.com\/shop\/basket$/m);
    assert.match(
      block,
      /^ {2}problem: +ue_px does not decode: not base64: unexpected "\*" at offset 14\n {14}raw ue_px: eyJzY2hlbWEiOi\*$/m,
    );
    assert.match(block, /^ {2}problem: +cx does not decode: wrong shape: schema is not a string/m);
    const json = captureOutput();
    await main([temp.dir, "--event-id", "ue-bad", "--json"], json);
    const [event] = JSON.parse(json.stdout.join("\n")).matches;
    assert.deepStrictEqual(
      event.problems.map((p: { param: string; raw: string }) => [p.param, p.raw]),
      [
        ["ue_px", "eyJzY2hlbWEiOi*"],
        ["cx", "e30"],
      ],
    );
  });
});
