import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import Ajv from "ajv";

import { policies } from "../policies/all";
import { collectorStack } from "./fixtures";
import { Config, violations } from "./harness";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

type PackConfig = Record<string, string | Record<string, unknown>>;

function readConfig(stack: string): PackConfig {
  return JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "config", `${stack}.json`), "utf8"),
  ) as PackConfig;
}

/** A policy's properties and enforcement level as the CLI hands them to the pack. */
function entry(config: PackConfig, policy: string): { level?: string; properties: Config } {
  const e = config[policy];
  if (typeof e === "string") {
    return { level: e, properties: {} };
  }
  const { enforcementLevel, ...properties } = e ?? {};
  return { level: enforcementLevel as string | undefined, properties };
}

/** The policies that would block a deployment of `stack` under `config`, with their levels applied. */
async function blocking(stack: ReturnType<typeof collectorStack>, config: PackConfig): Promise<string[]> {
  const out: string[] = [];
  for (const p of policies) {
    const { level, properties } = entry(config, p.name);
    const effective = level ?? entry(config, "all").level ?? p.enforcementLevel;
    if (effective !== "mandatory" && effective !== "remediate") {
      continue;
    }
    if ((await violations(p, stack, properties)).length > 0) {
      out.push(p.name);
    }
  }
  return out;
}

describe("policy config files", () => {
  for (const stack of ["dev", "prod", "prod-teardown"]) {
    it(`${stack}.json names only this pack's policies and fits their config schemas`, () => {
      const ajv = new Ajv({ strict: false });
      for (const [name, value] of Object.entries(readConfig(stack))) {
        const policy = policies.find((p) => p.name === name);
        assert.ok(policy || name === "all", `${stack}.json: unknown policy "${name}"`);
        const { level, properties } = entry(readConfig(stack), name);
        assert.ok(level === undefined || LEVELS.includes(level), `${stack}.json: bad level for ${name}`);
        if (typeof value === "object") {
          const schema = { type: "object", additionalProperties: false, ...(policy?.configSchema ?? {}) };
          assert.ok(ajv.validate(schema, properties), `${stack}.json ${name}: ${ajv.errorsText()}`);
        }
      }
    });
  }

  it("every knob's schema default is what the policy applies with no config", async () => {
    // Schema defaults (applied by the CLI) and in-code defaults (applied when no config arrives)
    // must agree: a prod stack with a bad region fails either way.
    const region = policies.find((p) => p.name === "log-bucket-region-allowed");
    assert.ok(region?.configSchema);
    const defaults = Object.fromEntries(
      Object.entries(region.configSchema.properties).map(([k, v]) => [
        k,
        (v as { default?: unknown }).default,
      ]),
    );
    const s = collectorStack({ region: "eu-south-1" });
    assert.strictEqual((await violations(region, s, defaults)).length, (await violations(region, s)).length);
  });

  it("a dev stack (logging off, log bucket unprotected) passes under dev.json and is blocked under prod.json", async () => {
    const dev = () => collectorStack({ preview: true, logging: false, protect: false });
    assert.deepStrictEqual(await blocking(dev(), readConfig("dev")), []);
    assert.deepStrictEqual(await blocking(dev(), readConfig("prod")), [
      "log-bucket-protected",
      "distribution-standard-logging",
    ]);
    assert.deepStrictEqual(await blocking(dev(), {}), [
      "log-bucket-protected",
      "distribution-standard-logging",
    ]);
  });

  it("dev.json still blocks cookies in logs and a public log bucket", async () => {
    const s = collectorStack({ preview: true, protect: false });
    (s.props("collector-cdn").loggingConfig as Record<string, unknown>).includeCookies = true;
    s.props("collector-logs-acl").acl = "public-read";
    assert.deepStrictEqual(await blocking(s, readConfig("dev")), [
      "log-bucket-not-public",
      "distribution-standard-logging",
    ]);
  });

  it("prod-teardown.json is prod.json with requireProtect off and nothing else relaxed", async () => {
    const prod = readConfig("prod");
    const teardown = readConfig("prod-teardown");
    assert.deepStrictEqual(teardown, {
      ...prod,
      "log-bucket-protected": { ...(prod["log-bucket-protected"] as object), requireProtect: false },
    });
    const unprotected = collectorStack({ preview: true, protect: false, mode: "v2" });
    assert.deepStrictEqual(await blocking(unprotected, readConfig("prod")), ["log-bucket-protected"]);
    assert.deepStrictEqual(await blocking(unprotected, teardown), []);
  });

  it("prod.json makes plain HTTP viewers blocking; the default leaves them advisory", async () => {
    const s = collectorStack({ preview: true, mode: "v2" });
    (s.props("collector-cdn").defaultCacheBehavior as Record<string, unknown>).viewerProtocolPolicy =
      "allow-all";
    assert.deepStrictEqual(await blocking(s, readConfig("prod")), ["distribution-viewer-https"]);
    assert.deepStrictEqual(await blocking(s, {}), []);
    assert.deepStrictEqual(await blocking(s, readConfig("dev")), []);
  });

  it("prod.json makes the IP-free logs mandatory: legacy logging and c-ip are blocked; the default only warns", async () => {
    assert.deepStrictEqual(await blocking(collectorStack({ preview: true }), readConfig("prod")), [
      "event-logs-no-client-ip",
    ]);
    const withIp = collectorStack({ preview: true, mode: "v2" });
    (withIp.props("collector-access-logs-delivery").recordFields as string[]).push("c-ip");
    assert.deepStrictEqual(await blocking(withIp, readConfig("prod")), ["event-logs-no-client-ip"]);
    assert.deepStrictEqual(await blocking(withIp, {}), []);
    assert.deepStrictEqual(
      await blocking(collectorStack({ preview: true, mode: "v2" }), readConfig("prod")),
      [],
    );
  });
});
