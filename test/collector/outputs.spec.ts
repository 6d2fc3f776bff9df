import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MAX_GET_BYTES } from "../../collector/edge/trackerConfig";
import { unknownValue } from "../../offline/mockRun";
import { runStack } from "../harness";

/** `pulumi stack output --json` of prod as it will look; README and command specs use it. */
const PROD_OUTPUTS_EXAMPLE = path.join(__dirname, "../commands/fixtures/outputs-prod.json");

/**
 * Where the program exports a stand-in such as `<collector-cdn.domainName>` (a value only AWS
 * knows), the example may hold any realistic value, the same one wherever that stand-in appears;
 * everything else must be equal. Returns what differs, as `path: why`.
 */
function compareWithStandIns(actual: unknown, example: unknown): string[] {
  const chosen = new Map<string, string>();
  const problems: string[] = [];
  const visit = (a: unknown, e: unknown, at: string): void => {
    if (typeof a === "string" && /<[^<>]+>/.test(a)) {
      const names = [...a.matchAll(/<([^<>]+)>/g)].map((m) => m[1]);
      const pattern = a
        .split(/<[^<>]+>/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("([^<>]+)");
      const match = typeof e === "string" ? new RegExp(`^${pattern}$`).exec(e) : null;
      if (!match) {
        problems.push(`${at}: expected the shape ${JSON.stringify(a)}, got ${JSON.stringify(e)}`);
        return;
      }
      names.forEach((name, i) => {
        const value = match[i + 1];
        if (chosen.has(name) && chosen.get(name) !== value) {
          problems.push(
            `${at}: <${name}> is ${JSON.stringify(value)} here, ${JSON.stringify(chosen.get(name))} elsewhere`,
          );
        }
        chosen.set(name, value);
      });
      return;
    }
    if (a !== null && typeof a === "object" && e !== null && typeof e === "object") {
      if (Array.isArray(a) !== Array.isArray(e)) {
        problems.push(`${at}: array and object`);
        return;
      }
      const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
      for (const key of keys) {
        if (!(key in a)) problems.push(`${at}.${key}: in the example, not exported`);
        // An output whose value is undefined is left out of `pulumi stack output --json`.
        else if (!(key in e)) {
          if ((a as Record<string, unknown>)[key] !== undefined)
            problems.push(`${at}.${key}: exported, not in the example`);
        } else
          visit((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], `${at}.${key}`);
      }
      return;
    }
    if (a !== e) problems.push(`${at}: expected ${JSON.stringify(a)}, got ${JSON.stringify(e)}`);
  };
  visit(actual, example, "outputs");
  return problems;
}

describe("the stack outputs", () => {
  it("give a tracker everything it needs (prod)", async () => {
    const { outputs } = await runStack("prod");
    assert.strictEqual(outputs.collectorDomain, "<collector-cdn.domainName>");
    assert.strictEqual(outputs.distributionDomain, outputs.collectorDomain);
    assert.strictEqual(outputs.pixelUrl, `https://${outputs.collectorDomain}/i`);
    assert.strictEqual(outputs.distributionId, "<collector-cdn.id>");
    assert.strictEqual(outputs.pixelBucket, "<collector-pixel.bucket>");
    assert.strictEqual(outputs.logBucket, "<collector-logs.bucket>");
    assert.strictEqual(outputs.logPrefix, "cloudfront/prod/");
    assert.strictEqual(outputs.region, "eu-west-1");
    assert.strictEqual(outputs.loggingEnabled, true);
    assert.strictEqual(outputs.viewerProtocolPolicy, "https-only");
    // The commands need to know how the files under logPrefix are laid out and written.
    assert.strictEqual(outputs.loggingMode, "v2");
    assert.strictEqual(outputs.logOutputFormat, "json");
    assert.ok(Array.isArray(outputs.logRecordFields) && !outputs.logRecordFields.includes("c-ip"));
    assert.deepStrictEqual(outputs.trackerConfig, {
      endpoint: `https://${outputs.collectorDomain}`,
      eventMethod: "get",
      maxGetBytes: MAX_GET_BYTES,
      credentials: "omit",
      pixelUrl: outputs.pixelUrl,
    });
    assert.deepStrictEqual(outputs.corsAllowedOrigins, ["*"]);
    // CloudFront does not log a request whose URL exceeds 8,192 bytes.
    assert.ok(MAX_GET_BYTES < 8192);
  });

  it("ask the tracker for credentials only when the edge allows them (an origin allow-list)", async () => {
    const origins = ["https://www.example.com", "https://shop.example.com"];
    const { outputs } = await runStack("prod", { corsAllowedOrigins: JSON.stringify(origins) });
    assert.deepStrictEqual(outputs.corsAllowedOrigins, origins);
    assert.strictEqual((outputs.trackerConfig as Record<string, unknown>).credentials, "include");
  });

  it("are what the committed prod outputs example holds, AWS's values as stand-ins", async () => {
    const { outputs } = await runStack("prod");
    const example = JSON.parse(fs.readFileSync(PROD_OUTPUTS_EXAMPLE, "utf8"));
    const problems = compareWithStandIns(outputs, example);
    assert.deepStrictEqual(
      problems,
      [],
      `${path.relative(process.cwd(), PROD_OUTPUTS_EXAMPLE)} is out of date; prod exports:\n` +
        JSON.stringify(outputs, null, 2),
    );
  });

  it("have no log prefix while dev logging is off", async () => {
    const { outputs } = await runStack("dev");
    assert.strictEqual(outputs.logPrefix, undefined);
    assert.strictEqual(outputs.loggingEnabled, false);
    assert.strictEqual(outputs.loggingMode, "legacy");
    assert.strictEqual(outputs.logOutputFormat, undefined);
  });

  it("are unknown where AWS computes them, at preview time", async () => {
    const { outputs } = await runStack("prod", {}, "unknown");
    assert.strictEqual(outputs.collectorDomain, unknownValue);
    assert.strictEqual(outputs.region, "eu-west-1");
  });
});
