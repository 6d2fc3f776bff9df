/**
 * `verify --logs` on v2 after the first deploy: where the files landed against where the Athena
 * table reads, and what the first real file says (format, encoding, fields, one event), against
 * the local S3 stand-in. The layouts AWS may choose are played by writing keys there.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../commands/verify";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { v2KeyPrefix } from "../../collector/eventLogs/logLayout";
import { formatV2JsonLog, formatV2W3cLog, pixelHitRow } from "../../logs/accessLogFormat";
import { checkFirstFile } from "../../logs/firstLogFile";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { captureOutput } from "../support/captureOutput";
import { LocalS3, startLocalS3 } from "../support/localS3";
import { makeTempDir } from "../support/tempDir";

const BUCKET = "verify-first-file";
const PREFIX = "cloudfront/prod/";
const DIST = "E2FIRSTFILE";
const INSERTED = `${PREFIX}AWSLogs/111122223333/CloudFront/`;

const rowFor = (eid: string) =>
  pixelHitRow(encodeTrackerQuery({ e: "pv", eid, url: "https://shop.example/?a=1&b=2" }), {
    "c-country": "DE",
    "timestamp(ms)": "1764493542123",
  });

describe("npm run verify --logs on the first v2 files", () => {
  let s3: LocalS3;
  const temp = makeTempDir("verify-first-file");
  before(async () => (s3 = await startLocalS3(BUCKET)));
  after(async () => {
    await s3.close();
    temp.cleanup();
  });

  /** verify --event-id against stack outputs declaring the prod delivery (or `declared`). */
  async function verify(
    eid: string,
    distributionId: string,
    declared: Record<string, unknown> = {},
  ): Promise<[number, string]> {
    const outputs = path.join(temp.dir, `${eid}.json`);
    fs.writeFileSync(
      outputs,
      JSON.stringify({
        loggingEnabled: true,
        logBucket: BUCKET,
        logPrefix: PREFIX,
        loggingMode: "v2",
        distributionId,
        region: "us-east-1",
        logOutputFormat: "json",
        logRecordFields: FIELD_SETS.privacy,
        ...declared,
      }),
    );
    const output = captureOutput();
    const code = await main(
      [
        "--outputs",
        outputs,
        "--event-id",
        eid,
        "--endpoint",
        s3.endpoint,
        "--log-timeout",
        "2s",
        "--poll-interval",
        "100ms",
      ],
      output,
    );
    return [code, output.stdout.join("\n") + output.stderr.join("\n")];
  }

  // One distribution per case, as each stack has its own.
  const keyUnder = (base: string, distributionId: string) =>
    `${v2KeyPrefix(base, { distributionId, time: new Date() })}${distributionId}.x1.gz`;

  it("files where the table reads: the layout, the encoding and the fields are ok, exit 0", async () => {
    const eid = "11111111-1111-4111-8111-111111111111";
    const key = keyUnder(PREFIX, DIST);
    await s3.putLog(BUCKET, key, formatV2JsonLog([rowFor(eid)], FIELD_SETS.privacy, "as received"));
    const [code, text] = await verify(eid, DIST);
    assert.strictEqual(code, 0, text);
    assert.match(
      text,
      new RegExp(`ok {3}files of ${DIST} landed under s3://${BUCKET}/${PREFIX}distributionid=${DIST}/`),
    );
    assert.ok(text.includes(`ok   event in the logs: s3://${BUCKET}/${key}`), text);
    assert.match(text, /info first file .*: json, 1 record\(s\), query strings as received/);
    assert.match(text, /ok {3}layout: under cloudfront\/prod\/distributionid=/);
    assert.match(text, new RegExp(`ok {3}fields: the ${FIELD_SETS.privacy.length} declared recordFields`));
    const event = JSON.parse(text.slice(text.indexOf("{"), text.indexOf("\n}") + 2));
    assert.strictEqual(event.params.url, "https://shop.example/?a=1&b=2", "decoded as received");
  });

  it("files under an inserted AWSLogs/<account>/CloudFront/: found there, the fix named, exit 1", async () => {
    const eid = "22222222-2222-4222-8222-222222222222";
    const key = keyUnder(INSERTED, "E2INSERTED");
    await s3.putLog(BUCKET, key, formatV2JsonLog([rowFor(eid)], FIELD_SETS.privacy));
    const [code, text] = await verify(eid, "E2INSERTED");
    assert.strictEqual(code, 1, text);
    assert.match(
      text,
      new RegExp(`info files of E2INSERTED landed under s3://${BUCKET}/${INSERTED}distributionid=`),
    );
    assert.match(
      text,
      /FAIL layout: the Athena table reads s3:\/\/verify-first-file\/cloudfront\/prod\/distributionid=/,
    );
    assert.ok(text.includes(`Fix: pulumi config set logTablePrefix ${INSERTED}`), text);
    assert.ok(
      text.includes(`ok   event in the logs: s3://${BUCKET}/${key}`),
      "looked for where the files are",
    );
    assert.match(text, /info first file .*: json, 1 record\(s\), query strings percent-encoded/);
  });

  it("the table following logTablePrefix reads the inserted layout: exit 0", async () => {
    const eid = "33333333-3333-4333-8333-333333333333";
    await s3.putLog(
      BUCKET,
      keyUnder(INSERTED, "E2FOLLOWED"),
      formatV2JsonLog([rowFor(eid)], FIELD_SETS.privacy),
    );
    const [code, text] = await verify(eid, "E2FOLLOWED", { analytics: { tablePrefix: INSERTED } });
    assert.doesNotMatch(text, /FAIL layout/);
    assert.match(
      text,
      /ok {3}layout: under cloudfront\/prod\/AWSLogs\/111122223333\/CloudFront\/distributionid=/,
    );
    assert.strictEqual(code, 0, text);
  });
});

describe("what verify says of a first file (checkFirstFile)", () => {
  const key = `${PREFIX}distributionid=${DIST}/year=2026/month=12/day=03/hour=09/x.gz`;
  const report = (format: "json" | "w3c") => ({
    file: key,
    format,
    encoding: "percent-encoded" as const,
    dataLines: 1,
    records: 1,
    badLines: 0,
    problems: [],
    fileProblems: [],
  });
  const declared = { recordFields: FIELD_SETS.privacy, outputFormat: "json" as const, tablePrefix: PREFIX };

  it("a W3C file under a JSON table: no row would be read, and what to change", () => {
    const check = checkFirstFile({
      bucket: BUCKET,
      key,
      report: report("w3c"),
      fields: FIELD_SETS.privacy,
      distributionId: DIST,
      declared,
    });
    assert.strictEqual(check.tableMissesIt, true);
    assert.ok(
      check.lines.some((l) => /^FAIL format: the file is w3c, the table's SerDe reads json/.test(l)),
      check.lines.join("\n"),
    );
  });

  it("fields absent or extra are named; in W3C another order misreads every row", () => {
    const fields = [...FIELD_SETS.privacy.filter((f) => f !== "asn"), "c-ip"];
    const json = checkFirstFile({
      bucket: BUCKET,
      key,
      report: report("json"),
      fields,
      distributionId: DIST,
      declared,
    });
    assert.ok(
      json.lines.includes(
        "info fields: declared but absent (NULL in the table): asn; present but not declared: c-ip",
      ),
      json.lines.join("\n"),
    );
    assert.strictEqual(json.tableMissesIt, false, "JSON is read by key: the other columns are right");
    const reordered = [...FIELD_SETS.privacy].reverse();
    const w3c = checkFirstFile({
      bucket: BUCKET,
      key,
      report: report("w3c"),
      fields: reordered,
      distributionId: DIST,
      declared: { ...declared, outputFormat: "w3c" },
    });
    assert.strictEqual(w3c.tableMissesIt, true);
    assert.ok(w3c.lines.some((l) => l.startsWith("FAIL fields: a W3C file is read by position")));
  });

  it("a file without cs-uri-query holds no event, whatever the table", () => {
    const fields = FIELD_SETS.privacy.filter((f) => f !== "cs-uri-query");
    const check = checkFirstFile({
      bucket: BUCKET,
      key,
      report: report("json"),
      fields,
      distributionId: DIST,
      declared,
    });
    assert.strictEqual(check.tableMissesIt, true);
    assert.ok(check.lines.some((l) => l.startsWith("FAIL fields: no cs-uri-query")));
  });

  it("a W3C file with the declared fields in order is fine", () => {
    const check = checkFirstFile({
      bucket: BUCKET,
      key,
      report: report("w3c"),
      fields: FIELD_SETS.privacy,
      distributionId: DIST,
      declared: { ...declared, outputFormat: "w3c" },
    });
    assert.strictEqual(check.tableMissesIt, false, check.lines.join("\n"));
    assert.ok(formatV2W3cLog([], FIELD_SETS.privacy).startsWith("#Fields: "));
  });
});
