import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { pixelBytes } from "../../collector/edge/pixel";
import { main, pixelUrlsFor } from "../../commands/verify";
import { httpGetWithRetries, NetworkFailure } from "../../commands/live/httpGet";
import { makeOversizedProbe, sendOversizedProbe } from "../../commands/live/oversizedProbe";
import { checkScheme, expectationFor } from "../../commands/live/pixelCheck";
import { corsConfigFor } from "../../collector/edge/cors";
import { captureOutput } from "../support/captureOutput";
import { closedPort, FakeEdge, startFakeEdge } from "../support/fakeEdge";
import { runScript } from "../support/runScript";
import { makeSelfSignedCert } from "../support/selfSignedCert";
import { makeTempDir } from "../support/tempDir";

// The tests serve and expect their own bytes, so they do not depend on the pixel file's content;
// the script run at the end uses the real collector/edge/pixel.gif on both sides.
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
const FAST = { timeoutMs: 1000, retries: 0, retryDelayMs: 10 };

describe("npm run verify: the live check", () => {
  const cert = makeSelfSignedCert();
  const edges: FakeEdge[] = [];
  async function edge(
    modes: Parameters<typeof startFakeEdge>[1],
    tls = false,
    pixel: Buffer = PIXEL,
  ): Promise<FakeEdge> {
    const started = await startFakeEdge(pixel, modes, tls ? cert : undefined);
    edges.push(started);
    return started;
  }
  afterEach(async () => {
    await Promise.all(edges.splice(0).map((e) => e.close()));
  });
  /** Runs verify against a plain and a TLS edge, no retries; resolves with its exit code and output. */
  async function verifyEdges(plain: FakeEdge, secure: FakeEdge, extra: string[] = []) {
    const output = captureOutput();
    const code = await main(
      ["--url", plain.url, "--https-url", `${secure.url}/i`, "--retries", "0", ...extra],
      output,
      { pixel: PIXEL, ca: cert.cert },
    );
    return { code, text: output.stdout.join("\n"), stderr: output.stderr.join("\n") };
  }

  it("expects what each viewer protocol policy says", () => {
    assert.deepStrictEqual(
      (["allow-all", "redirect-to-https", "https-only"] as const).map((policy) => [
        expectationFor(policy, "https").kind,
        expectationFor(policy, "http").kind,
      ]),
      [
        ["pixel", "pixel"],
        ["pixel", "redirect-to-https"],
        ["pixel", "forbidden"],
      ],
    );
  });

  it("derives both schemes from one URL, on the port it names", () => {
    assert.deepStrictEqual(pixelUrlsFor(new URL("https://d111.cloudfront.net")), {
      https: "https://d111.cloudfront.net/i",
      http: "http://d111.cloudfront.net/i",
    });
    assert.deepStrictEqual(pixelUrlsFor(new URL("http://127.0.0.1:8080/")), {
      https: "https://127.0.0.1:8080/i",
      http: "http://127.0.0.1:8080/i",
    });
  });

  it("sends every request of --url http://host:port to that port, and calls no answer no answer", async () => {
    const port = await closedPort();
    const output = captureOutput();
    const code = await main(["--url", `http://127.0.0.1:${port}`, "--retries", "0"], output, {
      pixel: PIXEL,
    });
    const text = output.stdout.join("\n");
    assert.strictEqual(code, 1, text);
    const failures = text.split("\n").filter((line) => /ECONNREFUSED/.test(line));
    // The HTTPS and HTTP pixels, the CORS request, the test event and the oversized probe.
    assert.strictEqual(failures.length, 5, text);
    for (const line of failures) assert.match(line, new RegExp(`127\\.0\\.0\\.1:${port} failed`), line);
    assert.match(text, new RegExp(`FAIL HTTPS https://127\\.0\\.0\\.1:${port}/i: no answer`));
    assert.match(text, /FAIL CORS {2}Origin https:\/\/cloudfront-collector\.invalid: no answer\n/);
    assert.doesNotMatch(text, /wrong answer/);
  });

  const wrongAnswers: [string, Parameters<typeof startFakeEdge>[1], RegExp][] = [
    ["a wrong content type", ["wrong-type"], /Content-Type "application\/octet-stream", expected image\/gif/],
    ["other bytes", ["wrong-bytes"], /body is 37 bytes that are not the 43-byte pixel/],
    ["a 403", ["forbidden"], /status 403, expected 200/],
  ];
  for (const [name, modes, problem] of wrongAnswers) {
    it(`fails the pixel on ${name}`, async () => {
      const server = await edge(modes);
      const check = await checkScheme("http", `${server.url}/i`, "allow-all", PIXEL, FAST);
      assert.strictEqual(check.ok, false);
      assert.match(check.problems.join("\n"), problem);
    });
  }

  it("passes a redirect to https and a 403 only where the policy asks for them", async () => {
    const redirect = await edge(["redirect"]);
    const forbidden = await edge(["forbidden"]);
    const ok1 = await checkScheme("http", `${redirect.url}/i`, "redirect-to-https", PIXEL, FAST);
    const ok2 = await checkScheme("http", `${forbidden.url}/i`, "https-only", PIXEL, FAST);
    const wrong = await checkScheme("http", `${redirect.url}/i`, "https-only", PIXEL, FAST);
    assert.deepStrictEqual([ok1.ok, ok2.ok, wrong.ok], [true, true, false]);
    assert.match(wrong.problems[0], /status 301, expected 403/);
  });

  it("reports a slow answer as a timeout, and a closed port as a connection failure", async () => {
    const slow = await edge(["slow"]);
    const timedOut = await checkScheme("http", `${slow.url}/i`, "allow-all", PIXEL, {
      ...FAST,
      timeoutMs: 200,
    });
    assert.match(timedOut.problems[0], /no complete answer from .* within 200 ms/);
    const port = await closedPort();
    const refused = await checkScheme("http", `http://127.0.0.1:${port}/i`, "allow-all", PIXEL, FAST);
    assert.strictEqual(refused.ok, false);
    assert.match(refused.problems[0], /connection to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)/);
  });

  it("names DNS and TLS failures as such", async () => {
    const lookup = ((_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) =>
      callback(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }))) as never;
    await assert.rejects(
      httpGetWithRetries("https://collector.example.invalid/i", { ...FAST, lookup }),
      (error: NetworkFailure) =>
        error.kind === "dns" && /collector\.example\.invalid does not resolve/.test(error.message),
    );
    const server = await edge(["pixel"], true);
    await assert.rejects(
      httpGetWithRetries(`${server.url}/i`, FAST),
      (error: NetworkFailure) =>
        error.kind === "tls" && /certificate this machine trusts/.test(error.message),
    );
    const trusted = await httpGetWithRetries(`${server.url}/i`, { ...FAST, ca: cert.cert });
    assert.ok(trusted.body.equals(PIXEL));
  });

  it("retries a dropped connection and a 5xx, within the bound", async () => {
    const flaky = await edge(["drop", "error-500", "pixel"]);
    const answer = await httpGetWithRetries(`${flaky.url}/i`, { ...FAST, retries: 2 });
    assert.strictEqual(answer.status, 200);
    assert.strictEqual(flaky.requests.length, 3);
    const failing = await edge(["error-500"]);
    const last = await httpGetWithRetries(`${failing.url}/i`, { ...FAST, retries: 1 });
    assert.strictEqual(last.status, 502);
    assert.strictEqual(failing.requests.length, 2);
  });

  it("checks both schemes and sends a tagged test event over HTTPS", async () => {
    const secure = await edge(["pixel"], true);
    const plain = await edge(["pixel"]);
    const { code, text, stderr } = await verifyEdges(plain, secure, ["--app-id", "verify-test"]);
    assert.strictEqual(code, 0, text + stderr);
    assert.match(text, /^ok {3}HTTPS https:\/\/127\.0\.0\.1:\d+\/i: 200 in \d+ ms$/m);
    assert.match(text, /^ok {3}HTTP {2}http:\/\/127\.0\.0\.1:\d+\/i: 200 in \d+ ms$/m);
    const eid = /test event sent: eid=([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(eid, text);
    // The pixel, the CORS check (with an Origin), the test event, the oversized probe.
    assert.strictEqual(secure.requests.length, 4);
    assert.deepStrictEqual(secure.origins, [
      undefined,
      "https://cloudfront-collector.invalid",
      undefined,
      undefined,
    ]);
    assert.match(
      text,
      /^ok {3}CORS {2}Origin https:\/\/cloudfront-collector\.invalid: access-control-allow-origin: \*$/m,
    );
    const sent = new URL(secure.requests[2], "https://x");
    assert.strictEqual(sent.pathname, "/i");
    assert.deepStrictEqual(
      ["e", "p", "aid", "eid"].map((name) => sent.searchParams.get(name)),
      ["pv", "web", "verify-test", eid],
    );
    assert.ok(Number(sent.searchParams.get("dtm")) > 0);
  });

  it("fails, exit 1, when the pixel answers a CORS request without Access-Control-Allow-Origin", async () => {
    const secure = await edge(["no-cors"], true);
    const plain = await edge(["pixel"]);
    const { code, text } = await verifyEdges(plain, secure);
    assert.strictEqual(code, 1, text);
    assert.match(
      text,
      /FAIL CORS {2}Origin https:\/\/cloudfront-collector\.invalid: wrong answer\n +expected access-control-allow-origin: \*\n +access-control-allow-origin: \(none\), expected "\*"/,
    );
    assert.match(text, /tracker 4\.x fails each logged request in the page and resends it/);
  });

  it("with an allow-list, expects the listed origin echoed with credentials, and nothing for another", async () => {
    const site = "https://www.example.com";
    const cors = corsConfigFor([site]);
    const secure = await startFakeEdge(PIXEL, ["pixel"], cert, undefined, cors);
    const wrong = await startFakeEdge(PIXEL, ["pixel"], cert);
    edges.push(secure, wrong);
    const plain = await edge(["pixel"]);
    // The stack outputs say which origins the pixel admits.
    const temp = makeTempDir("verify-cors");
    const outputs = path.join(temp.dir, "outputs.json");
    fs.writeFileSync(
      outputs,
      JSON.stringify({
        pixelUrl: `${plain.url}/i`,
        viewerProtocolPolicy: "allow-all",
        corsAllowedOrigins: [site],
      }),
    );
    after(() => temp.cleanup());
    const run = async (https: FakeEdge) => {
      const output = captureOutput();
      const args = ["--outputs", outputs, "--https-url", `${https.url}/i`, "--retries", "0"];
      const code = await main(args, output, { pixel: PIXEL, ca: cert.cert });
      return { code, text: output.stdout.join("\n") };
    };
    const good = await run(secure);
    assert.strictEqual(good.code, 0, good.text);
    assert.match(
      good.text,
      /^ok {3}CORS {2}Origin https:\/\/www\.example\.com: access-control-allow-origin: https:\/\/www\.example\.com, access-control-allow-credentials: true$/m,
    );
    assert.match(
      good.text,
      /^ok {3}CORS {2}Origin https:\/\/cloudfront-collector\.invalid: no CORS headers$/m,
    );
    // An edge still answering * (no credentials) is wrong for a stack that lists its sites.
    const bad = await run(wrong);
    assert.strictEqual(bad.code, 1, bad.text);
    assert.match(bad.text, /access-control-allow-origin: "\*", expected "https:\/\/www\.example\.com"/);
    assert.match(bad.text, /access-control-allow-credentials: \(none\), expected "true"/);
  });

  it("sends one probe over 8,192 bytes and reports what the edge answered, without failing", async () => {
    const probe = makeOversizedProbe("https://d111111abcdef8.cloudfront.net/i", "verify-test");
    assert.ok(probe.bytes > 8192 && probe.bytes < 8400, String(probe.bytes));
    assert.strictEqual(new URL(probe.url).searchParams.get("eid"), probe.eventId);
    // The fake edge answers a URL over the limit as CloudFront is reported to: 413.
    const secure = await edge(["pixel"], true);
    const plain = await edge(["pixel"]);
    const { code, text } = await verifyEdges(plain, secure);
    assert.strictEqual(code, 0, text);
    assert.match(
      text,
      /^info oversized probe \(8292-byte URL, eid=[0-9a-f-]{36}\): answered 413\. CloudFront does not log a request whose URL exceeds 8192 bytes, so such an event is lost; tracker 4\.x only warns above maxGetBytes, sends it once and drops it\.$/m,
    );
    assert.strictEqual(
      Buffer.byteLength(`https://127.0.0.1:${new URL(secure.url).port}${secure.requests[3]}`),
      8292,
    );
    // An edge that serves it anyway is reported as such, with the eid to look for later.
    const lenient = http.createServer({ maxHeaderSize: 64 * 1024 }, (_q, r) => r.end("ok"));
    await new Promise<void>((resolve) => lenient.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = lenient.address() as AddressInfo;
      const line = await sendOversizedProbe(makeOversizedProbe(`http://127.0.0.1:${port}/i`, "x"), FAST);
      assert.match(line, /answered 200\. CloudFront does not log .* look for this eid with --event-id/);
    } finally {
      lenient.close();
    }
  });

  it("fails, exit 1, when plain HTTP serves the pixel under redirect-to-https", async () => {
    const secure = await edge(["pixel"], true);
    const plain = await edge(["pixel"]);
    const output = captureOutput();
    const args = [
      "--url",
      plain.url,
      "--https-url",
      `${secure.url}/i`,
      "--viewer-protocol-policy",
      "redirect-to-https",
    ];
    const code = await main(args, output, { pixel: PIXEL, ca: cert.cert });
    assert.strictEqual(code, 1);
    assert.match(
      output.stdout.join("\n"),
      /FAIL HTTP .*: 200 in \d+ ms\n +expected 301 to the same URL over https\n +status 200, expected 301/,
    );
  });

  it("refuses bad option values with one error and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--url", "x.example", "--viewer-protocol-policy", "https"],
        /--viewer-protocol-policy "https" is not allowed: use allow-all/,
      ],
      [
        ["--url", "ftp://x.example"],
        /--url "ftp:\/\/x.example" is not allowed: use an http:\/\/ or https:\/\/ URL/,
      ],
      [["--url", "x.example", "--request-timeout", "10"], /--request-timeout "10" is not a duration/],
      [
        ["--url", "x.example", "--retries", "many"],
        /--retries "many" is not allowed: use a whole number from 0 to 10/,
      ],
      [
        ["--url", "x.example", "--allowed-origins", "*,https://a.example"],
        /--allowed-origins "\*,https:\/\/a.example" is not allowed: give \* alone or site origins/,
      ],
      [[], /say what to check: --stack NAME, --outputs FILE or --url URL/],
    ];
    for (const [args, message] of cases) {
      const output = captureOutput();
      assert.strictEqual(await main(args, output), 2, args.join(" "));
      assert.strictEqual(output.stderr.length, 1);
      assert.match(output.stderr[0], message);
    }
  });

  it("runs as a script against the stack outputs, comparing with collector/edge/pixel.gif", async () => {
    const temp = makeTempDir("verify-cli");
    try {
      const secure = await edge(["pixel"], true, pixelBytes());
      const plain = await edge(["forbidden"]);
      const outputs = path.join(temp.dir, "outputs.json");
      fs.writeFileSync(
        outputs,
        JSON.stringify({ pixelUrl: `${plain.url}/i`, viewerProtocolPolicy: "https-only" }),
      );
      const caFile = path.join(temp.dir, "ca.pem");
      fs.writeFileSync(caFile, cert.cert);
      const result = await runScript(
        "commands/verify.ts",
        ["--outputs", outputs, "--https-url", `${secure.url}/i`, "--retries", "0"],
        { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      );
      assert.strictEqual(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /viewer protocol policy: https-only/);
      assert.match(
        result.stdout,
        /note --outputs .* has no corsAllowedOrigins output .* expecting the default \*/,
      );
      assert.match(result.stdout, /ok {3}HTTP {2}.*: 403/);
      assert.match(result.stdout, /ok {3}test event sent: eid=/);
    } finally {
      temp.cleanup();
    }
  });
});
