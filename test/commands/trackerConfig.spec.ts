import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { CONFIG_FILE, main, SNIPPET_FILE } from "../../commands/tracker-config";
import { PROJECT_DIR } from "../../offline/paths";
import { captureOutput } from "../support/captureOutput";
import { runScript } from "../support/runScript";
import { makeTempDir } from "../support/tempDir";

const PROD_OUTPUTS = path.join(__dirname, "fixtures", "outputs-prod.json");

type Call = unknown[];

/** Runs the generated snippet with stand-ins for the tracker's functions, and returns the calls. */
function runSnippet(snippet: string): { module: Call[]; tag: Call[] } {
  const module: Call[] = [];
  const tag: Call[] = [];
  const body = snippet.replace(/^import .*$/m, "");
  vm.runInNewContext(body, {
    newTracker: (...args: unknown[]) => module.push(args),
    trackPageView: () => undefined,
  });
  const tagLine = /^\/\/ +(window\.snowplow\(.*\);)$/m.exec(snippet);
  assert.ok(tagLine, "the snippet shows the sp.js form");
  vm.runInNewContext(tagLine[1], { window: { snowplow: (...args: unknown[]) => tag.push(args) } });
  // The calls were made inside another realm: compare them as plain data.
  return JSON.parse(JSON.stringify({ module, tag }));
}

describe("npm run tracker-config", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir("tracker-config")));
  afterEach(() => temp.cleanup());

  function writeOutputs(values: unknown): string {
    const file = path.join(temp.dir, "outputs.json");
    fs.writeFileSync(file, typeof values === "string" ? values : JSON.stringify(values));
    return file;
  }

  it("writes the JSON config and a snippet whose newTracker call matches it", async () => {
    const out = path.join(temp.dir, "tracker");
    const output = captureOutput();
    const code = await main(["--outputs", PROD_OUTPUTS, "--app-id", "shop", "--out", out], output);
    assert.strictEqual(code, 0, output.stderr.join("\n"));
    const json = JSON.parse(fs.readFileSync(path.join(out, CONFIG_FILE), "utf8"));
    assert.deepStrictEqual(json, {
      trackerName: "sp",
      appId: "shop",
      collectorUrl: "https://d111111abcdef8.cloudfront.net",
      platform: "web",
      eventMethod: "get",
      maxGetBytes: 8000,
      credentials: "omit",
      pixelUrl: "https://d111111abcdef8.cloudfront.net/i",
      source: `--outputs ${PROD_OUTPUTS}`,
    });
    const calls = runSnippet(fs.readFileSync(path.join(out, SNIPPET_FILE), "utf8"));
    const options = {
      appId: "shop",
      platform: "web",
      eventMethod: "get",
      maxGetBytes: 8000,
      credentials: "omit",
    };
    assert.deepStrictEqual(calls.module, [["sp", "https://d111111abcdef8.cloudfront.net", options]]);
    assert.deepStrictEqual(calls.tag, [
      ["newTracker", "sp", "https://d111111abcdef8.cloudfront.net", options],
    ]);
  });

  it("builds the config from collectorDomain when the stack has no trackerConfig output", async () => {
    const outputs = writeOutputs({ collectorDomain: "collector.example.com" });
    const out = path.join(temp.dir, "t");
    assert.strictEqual(await main(["--outputs", outputs, "--out", out], captureOutput()), 0);
    const json = JSON.parse(fs.readFileSync(path.join(out, CONFIG_FILE), "utf8"));
    assert.strictEqual(json.collectorUrl, "https://collector.example.com");
    assert.strictEqual(json.pixelUrl, "https://collector.example.com/i");
    assert.strictEqual(json.appId, "web");
    assert.strictEqual(json.credentials, "omit", "an older stack is taken as any-origin");
  });

  it("asks for credentials, and says why, when the stack admits a list of origins", async () => {
    const outputs = writeOutputs({
      collectorDomain: "collector.example.com",
      corsAllowedOrigins: ["https://www.example.com"],
    });
    const out = path.join(temp.dir, "t");
    assert.strictEqual(await main(["--outputs", outputs, "--out", out], captureOutput()), 0);
    const snippet = fs.readFileSync(path.join(out, SNIPPET_FILE), "utf8");
    const options = runSnippet(snippet).module[0][2] as Record<string, unknown>;
    assert.strictEqual(options.credentials, "include");
    assert.match(snippet, /credentials "include": the collector answers only its listed sites/);
    assert.match(snippet, /Do not add customHeaders/);
  });

  const failures: [string, unknown, RegExp][] = [
    [
      "outputs without a domain",
      { pixelBucket: "b" },
      /stack output collectorDomain in --outputs .* is missing: expected a non-empty string/,
    ],
    ["malformed JSON", '{"collectorDomain": ', /--outputs .* is not valid JSON/],
    ["a JSON array", "[]", /is not a JSON object of stack outputs/],
    [
      "a tracker config that POSTs",
      {
        trackerConfig: {
          endpoint: "https://a.example",
          eventMethod: "post",
          maxGetBytes: 8000,
          pixelUrl: "x",
        },
      },
      /trackerConfig.eventMethod .* is "post": expected "get"/,
    ],
    [
      "a GET limit CloudFront would not log",
      {
        trackerConfig: {
          endpoint: "https://a.example",
          eventMethod: "get",
          maxGetBytes: 9000,
          pixelUrl: "x",
        },
      },
      /trackerConfig.maxGetBytes .* is 9000: expected a whole number below 8192/,
    ],
    [
      "a credentials mode the collector does not answer",
      {
        trackerConfig: {
          endpoint: "https://a.example",
          eventMethod: "get",
          maxGetBytes: 8000,
          credentials: "same-origin",
          pixelUrl: "x",
        },
      },
      /trackerConfig.credentials .* is "same-origin": expected "omit" \(any origin\) or "include"/,
    ],
    [
      "a wildcard mixed with site origins",
      { collectorDomain: "a.example", corsAllowedOrigins: ["*", "https://www.example.com"] },
      /corsAllowedOrigins .* expected \["\*"\] or a list of site origins/,
    ],
  ];
  for (const [name, values, message] of failures) {
    it(`refuses ${name} with one error and exit code 2`, async () => {
      const output = captureOutput();
      const out = path.join(temp.dir, "t");
      assert.strictEqual(await main(["--outputs", writeOutputs(values), "--out", out], output), 2);
      assert.strictEqual(output.stderr.length, 1);
      assert.match(output.stderr[0], message);
      assert.ok(!fs.existsSync(out), "nothing written");
    });
  }

  it("says what to do when the Pulumi CLI is missing", async () => {
    const output = captureOutput();
    const code = await main(["--stack", "prod"], output, { pulumiCommand: "pulumi-not-installed-here" });
    assert.strictEqual(code, 2);
    assert.match(
      output.stderr[0],
      /the Pulumi CLI \("pulumi-not-installed-here"\) is not on PATH.*--outputs/,
    );
  });

  it("refuses an unknown option, and --stack with --outputs", async () => {
    const unknown = captureOutput();
    assert.strictEqual(await main(["--stak", "prod"], unknown), 2);
    assert.match(
      unknown.stderr[0],
      /unknown option --stak \(did you mean --stack\?\)\. Allowed options: --stack, --outputs/,
    );
    const both = captureOutput();
    assert.strictEqual(await main(["--stack", "prod", "--outputs", PROD_OUTPUTS], both), 2);
    assert.match(both.stderr[0], /give --stack or --outputs, not both/);
  });

  it("runs as a script: asks the pulumi on PATH for the stack's outputs, and fails cleanly without one", async () => {
    const bin = path.join(temp.dir, "bin");
    fs.mkdirSync(bin);
    // A stand-in for the Pulumi CLI that checks it was asked the right question.
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      `#!/bin/sh\n[ "$*" = "stack output --json --stack prod" ] || { echo "unexpected: $*" >&2; exit 3; }\n/bin/cat '${PROD_OUTPUTS}'\n`,
      { mode: 0o755 },
    );
    const out = path.join(temp.dir, "out");
    const [withPulumi, withoutPulumi] = await Promise.all([
      runScript("commands/tracker-config.ts", ["--stack", "prod", "--out", out], {
        ...process.env,
        PATH: bin,
      }),
      runScript("commands/tracker-config.ts", ["--stack", "prod", "--out", out + "2"], {
        ...process.env,
        PATH: temp.dir,
      }),
    ]);
    assert.strictEqual(withPulumi.status, 0, withPulumi.stderr);
    assert.match(
      fs.readFileSync(path.join(out, SNIPPET_FILE), "utf8"),
      /newTracker\("sp", "https:\/\/d111111abcdef8/,
    );
    assert.strictEqual(withoutPulumi.status, 2);
    assert.match(withoutPulumi.stderr, /^error: the Pulumi CLI \("pulumi"\) is not on PATH/);
  });
});

describe("npm run tracker-config --out a folder that cannot be made", () => {
  it("returns, exit 2, naming the folder (Node's recursive mkdir never returns on /proc/nope)", function () {
    this.timeout(60000);
    // A child process with a deadline: were the hang back, it would take this process's thread
    // pool with it.
    const result = spawnSync(
      process.execPath,
      [
        "-r",
        path.join(PROJECT_DIR, "test/support/register.js"),
        path.join(PROJECT_DIR, "commands/tracker-config.ts"),
        "--outputs",
        PROD_OUTPUTS,
        "--out",
        "/proc/nope/tracker",
      ],
      { cwd: PROJECT_DIR, encoding: "utf8", timeout: 40000 },
    );
    assert.strictEqual(result.signal, null, "tracker-config did not return within 40 s");
    assert.strictEqual(result.status, 2, result.stderr);
    assert.match(result.stderr, /^error: cannot write to --out "\/proc\/nope\/tracker": ENOENT/);
  });

  it("makes missing parents of a folder that can be made", async () => {
    const temp = makeTempDir("tracker-out");
    try {
      const out = path.join(temp.dir, "a", "b", "tracker");
      const output = captureOutput();
      assert.strictEqual(
        await main(["--outputs", PROD_OUTPUTS, "--out", out], output),
        0,
        output.stderr.join("\n"),
      );
      assert.ok(fs.existsSync(path.join(out, "tracker-config.json")));
      // And again into the same folder, which now exists.
      assert.strictEqual(await main(["--outputs", PROD_OUTPUTS, "--out", out], captureOutput()), 0);
    } finally {
      temp.cleanup();
    }
  });
});
