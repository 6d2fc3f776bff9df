import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../commands/verify";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { v2KeyPrefix } from "../../collector/eventLogs/logLayout";
import { formatAccessLog, formatV2JsonLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { captureOutput } from "../support/captureOutput";
import { FakeEdge, startFakeEdge } from "../support/fakeEdge";
import { LocalS3, startLocalS3 } from "../support/localS3";
import { makeSelfSignedCert } from "../support/selfSignedCert";
import { makeTempDir } from "../support/tempDir";

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
const BUCKET = "verify-logs";
const PREFIX = "cloudfront/dev/";
const DIST = "E2VERIFY";

describe("npm run verify --logs: from test event to access log", () => {
  const cert = makeSelfSignedCert();
  let s3: LocalS3;
  let secure: FakeEdge;
  let plain: FakeEdge;
  let delivered = 0;

  before(async () => {
    s3 = await startLocalS3(BUCKET);
    // Plays CloudFront's log delivery: each pixel request becomes a log file in the bucket.
    secure = await startFakeEdge(PIXEL, ["pixel"], cert, (url) => {
      const query = url.split("?")[1] ?? "";
      const hour = new Date().toISOString().slice(0, 13).replace("T", "-");
      void s3.putLog(
        BUCKET,
        `${PREFIX}${DIST}.${hour}.${++delivered}.gz`,
        formatAccessLog([pixelHitRow(query)]),
      );
    });
    plain = await startFakeEdge(PIXEL, ["redirect"]);
  });
  after(async () => {
    await Promise.all([secure.close(), plain.close()]);
    await s3.close();
  });

  const logArgs = () => [
    "--log-bucket",
    BUCKET,
    "--prefix",
    PREFIX,
    "--distribution-id",
    DIST,
    "--region",
    "us-east-1",
    "--endpoint",
    s3.endpoint,
    "--poll-interval",
    "100ms",
  ];

  it("sends the event and finds it in the log bucket, decoded", async () => {
    const output = captureOutput();
    const args = [
      "--url",
      plain.url,
      "--https-url",
      `${secure.url}/i`,
      "--viewer-protocol-policy",
      "redirect-to-https",
    ];
    const code = await main([...args, "--logs", ...logArgs(), "--log-timeout", "10s"], output, {
      pixel: PIXEL,
      ca: cert.cert,
    });
    const text = output.stdout.join("\n");
    assert.strictEqual(code, 0, text + output.stderr.join("\n"));
    const eid = /test event sent: eid=([0-9a-f-]{36})/.exec(text)?.[1];
    assert.match(
      text,
      new RegExp(
        `ok {3}event in the logs: s3://${BUCKET}/${PREFIX}${DIST}\\.[0-9-]+\\.\\d+\\.gz \\(line 3\\)`,
      ),
    );
    const event = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
    assert.strictEqual(event.params.eid, eid);
    assert.strictEqual(event.params.aid, "cloudfront-collector-verify");
    assert.match(text, /verify: all checks passed$/);
    assert.match(event.params.url, /^https:\/\/cloudfront-collector\.invalid\/verify\?sent=\d{4}-/);
  });

  it("finds an earlier event by id without sending anything", async () => {
    const before = secure.requests.length;
    const first = captureOutput();
    await main(["--url", plain.url, "--https-url", `${secure.url}/i`, "--retries", "0"], first, {
      pixel: PIXEL,
      ca: cert.cert,
    });
    const eid = /eid=([0-9a-f-]{36})/.exec(first.stdout.join("\n"))?.[1] ?? "";
    const output = captureOutput();
    const code = await main(["--event-id", eid, ...logArgs(), "--log-timeout", "10s"], output);
    assert.strictEqual(code, 0, output.stdout.join("\n") + output.stderr.join("\n"));
    // The first run: the pixel, the CORS check, the test event and the oversized probe.
    assert.strictEqual(secure.requests.length, before + 4, "only the first run made requests");
    assert.match(output.stdout.join("\n"), /ok {3}event in the logs/);
  });

  it("in v2 mode finds an event in a JSON file under the hour's partition, and says v2's checks at the timeout", async () => {
    const eid = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
    const key = `${v2KeyPrefix(PREFIX, { distributionId: DIST, time: new Date() })}${DIST}.x1y2z3.gz`;
    await s3.putLog(
      BUCKET,
      key,
      formatV2JsonLog([pixelHitRow(encodeTrackerQuery({ e: "pv", eid }))], FIELD_SETS.privacy),
    );
    const output = captureOutput();
    const code = await main(
      ["--event-id", eid, ...logArgs(), "--logging-mode", "v2", "--log-timeout", "10s"],
      output,
    );
    const text = output.stdout.join("\n");
    assert.strictEqual(code, 0, text + output.stderr.join("\n"));
    assert.match(text, /\(v2 logging\)/);
    assert.ok(text.includes(`ok   event in the logs: s3://${BUCKET}/${key} (line 1)`), text);

    const late = captureOutput();
    assert.strictEqual(
      await main(
        ["--event-id", "never-sent", ...logArgs(), "--logging-mode", "v2", "--log-timeout", "200ms"],
        late,
      ),
      1,
    );
    assert.match(late.stdout.join("\n"), /v2 log delivery exists in us-east-1/);
    assert.match(late.stdout.join("\n"), /distributionid=E2VERIFY\/year=\.\.\.\/hour=\.\.\.\//);

    const bad = captureOutput();
    assert.strictEqual(await main(["--event-id", eid, ...logArgs(), "--logging-mode", "v3"], bad), 2);
    assert.match(bad.stderr.join("\n"), /--logging-mode "v3" is not one of legacy, v2/);
  });

  it("at the timeout, says what to check", async () => {
    const output = captureOutput();
    const code = await main(["--event-id", "never-sent", ...logArgs(), "--log-timeout", "300ms"], output);
    const text = output.stdout.join("\n");
    assert.strictEqual(code, 1);
    assert.match(text, /FAIL eid=never-sent not in the logs after 300ms \(\d+ file\(s\) read\)/);
    assert.match(text, /c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0/);
    assert.match(text, /events are sent as GET to \/i/);
    assert.match(text, /logging is switched on/);
  });

  it("refuses to wait for logs on a stack with logging switched off", async () => {
    const temp = makeTempDir("verify-logs");
    try {
      const outputs = path.join(temp.dir, "dev.json");
      fs.writeFileSync(
        outputs,
        JSON.stringify({
          pixelUrl: `${plain.url}/i`,
          viewerProtocolPolicy: "allow-all",
          loggingEnabled: false,
          logPrefix: null,
        }),
      );
      const output = captureOutput();
      assert.strictEqual(await main(["--outputs", outputs, "--logs"], output), 2);
      assert.match(
        output.stderr[0],
        /logging is switched off for --outputs .*dev\.json \(loggingEnabled: false\)/,
      );
      assert.strictEqual(output.stdout.length, 0, "no request was made");
    } finally {
      temp.cleanup();
    }
  });
});

describe("npm run verify --logs without AWS credentials", () => {
  const PROD_OUTPUTS = path.join(__dirname, "fixtures", "outputs-prod.json");
  const saved = { ...process.env };
  before(() => {
    // No credentials anywhere in the SDK's chain, and no instance metadata lookup off this machine.
    for (const key of Object.keys(process.env))
      if (key.startsWith("AWS_")) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_CONFIG_FILE: "/nonexistent/config",
    });
  });
  after(() => {
    for (const key of Object.keys(process.env))
      if (key.startsWith("AWS_")) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, saved);
  });

  for (const [what, extra] of [
    ["--event-id", ["--event-id", "0b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"]],
    ["--logs", ["--logs"]],
  ] as const) {
    it(`${what}: exit 2 with how to set them, as query says it, before any request`, async () => {
      const edge = await startFakeEdge(PIXEL, ["pixel"]);
      try {
        const output = captureOutput();
        const args = [
          "--outputs",
          PROD_OUTPUTS,
          "--https-url",
          `${edge.url}/i`,
          "--http-url",
          `${edge.url}/i`,
        ];
        const code = await main([...args, ...extra, "--log-timeout", "1s"], output, { pixel: PIXEL });
        const stderr = output.stderr.join("\n");
        assert.strictEqual(code, 2, stderr + output.stdout.join("\n"));
        assert.match(
          stderr,
          /^error: no AWS credentials found \(.*\)\. Set AWS_PROFILE, or AWS_ACCESS_KEY_ID/,
        );
        assert.match(stderr, /then run verify again/);
        assert.deepStrictEqual(edge.requests, [], "no test event sent that could not be looked for");
      } finally {
        await edge.close();
      }
    });
  }
});
