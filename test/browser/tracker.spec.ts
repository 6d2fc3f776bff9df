/**
 * The official Snowplow browser tracker (@snowplow/browser-tracker, pinned) in Debian's Chromium,
 * configured by `npm run tracker-config` from the outputs of the program run under mocks, sending
 * to a loopback stand-in edge that answers with the headers the program declares and writes
 * CloudFront log lines; then `npm run logs` reads those lines back.
 *
 * Chromium must be at /usr/bin/chromium (.ci/run installs Debian's package when it is missing):
 * without it this suite fails, it never skips.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BrowserContext, chromium } from "playwright-core";
import { main as logsMain } from "../../commands/logs";
import { CONFIG_FILE, main as trackerConfigMain, SNIPPET_FILE } from "../../commands/tracker-config";
import { WrittenEncoding } from "../../logs/accessLogFormat";
import { DecodedTrackerEvent } from "../../logs/trackerEvent";
import { runStack } from "../harness";
import { captureOutput } from "../support/captureOutput";
import { edgeDeclarationOf } from "../support/edgeDeclaration";
import { makeSelfSignedCert, TestCertificate } from "../support/selfSignedCert";
import { EdgeRequest, startStandInEdge } from "../support/standInEdge";
import { makeTempDir } from "../support/tempDir";
import {
  CONTEXT_SCHEMA,
  LONG_QUERY,
  OVERSIZED_QUERY,
  PAGE_TITLE,
  SELF_DESCRIBING_SCHEMA,
  startShop,
  STRUCTURED_LABEL,
} from "./page";

const CHROMIUM = "/usr/bin/chromium";
const COLLECTOR_HOST = "collector.test";
const SITE = "https://www.shop.test";
const CERT_ARN = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
/** No new request at the edge for this long: the tracker is done (or has given up). */
const QUIET_MS = 1000;

type Kind = "page view" | "structured" | "self-describing" | "long-URL page view" | "oversized page view";

interface Hit {
  kind: Kind;
  request: EdgeRequest;
  params: URLSearchParams;
}

interface Visit {
  hits: Hit[];
  logDir: string;
  /** The same requests as v2 JSON, percent-encoded on top and as received. */
  v2Dirs: Record<WrittenEncoding, string>;
  console: string[];
  trackerOptions: Record<string, unknown>;
}

function kindOf(params: URLSearchParams): Kind | undefined {
  const e = params.get("e");
  if (e === "se") return "structured";
  if (e === "ue") return "self-describing";
  if (e !== "pv") return undefined;
  const url = params.get("url") ?? "";
  if (url.includes(OVERSIZED_QUERY)) return "oversized page view";
  if (url.includes(LONG_QUERY)) return "long-URL page view";
  return "page view";
}

function count(hits: Hit[], kind: Kind): number {
  return hits.filter((h) => h.kind === kind).length;
}

/** base64url JSON, padding optional, as tracker 4.x writes ue_px and cx. */
function decodeBase64Json(value: string | null): unknown {
  assert.ok(value, "a base64 payload");
  return JSON.parse(Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8"));
}

/** The gap between events in the visit without a CORS answer (see visit). */
const NO_CORS_EVENT_GAP_MS = 1_000;

async function settled(requests: EdgeRequest[], atLeast: number, maxMs = 15_000): Promise<void> {
  const started = Date.now();
  let seen = -1;
  let quietSince = Date.now();
  for (;;) {
    if (requests.length !== seen) {
      seen = requests.length;
      quietSince = Date.now();
    }
    const quiet = Date.now() - quietSince >= QUIET_MS;
    if ((quiet && seen >= atLeast) || Date.now() - started > maxMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One visit to the shop page: program run (with `origins`), outputs file, tracker-config, edge as
 * declared (or, with `dropCorsPolicy`, the same edge without its response headers policy), browser.
 */
async function visit(tls: TestCertificate, origins: string[], dropCorsPolicy = false): Promise<Visit> {
  const temp = makeTempDir("browser-visit");
  const run = await runStack("prod", {
    customDomain: COLLECTOR_HOST,
    certificateArn: CERT_ARN,
    corsAllowedOrigins: JSON.stringify(origins),
  });
  const outputsFile = path.join(temp.dir, "outputs.json");
  fs.writeFileSync(outputsFile, JSON.stringify(run.outputs, null, 2));
  const trackerDir = path.join(temp.dir, "tracker");
  const output = captureOutput();
  const code = await trackerConfigMain(
    ["--outputs", outputsFile, "--app-id", "shop", "--out", trackerDir],
    output,
  );
  assert.strictEqual(code, 0, output.stderr.join("\n"));
  const setup = JSON.parse(fs.readFileSync(path.join(trackerDir, CONFIG_FILE), "utf8"));
  assert.strictEqual(setup.collectorUrl, `https://${COLLECTOR_HOST}`);

  const declared = edgeDeclarationOf(run);
  assert.ok(declared.cors, "the program attaches a CORS policy to the pixel behaviour");
  const logDir = path.join(temp.dir, "logs");
  fs.mkdirSync(logDir);
  const v2Dirs = {
    "percent-encoded": path.join(temp.dir, "v2-percent-encoded"),
    "as received": path.join(temp.dir, "v2-as-received"),
  };
  for (const dir of Object.values(v2Dirs)) fs.mkdirSync(dir);
  const edge = await startStandInEdge(
    dropCorsPolicy ? { ...declared, cors: undefined } : declared,
    tls,
    logDir,
    v2Dirs,
  );
  // Without CORS the tracker sends its failed page view again only when a later event is
  // tracked after the failure: on a loaded machine a failure can take longer than 200 ms to come
  // back, and then no later event would trigger the resend. A longer gap keeps the control honest.
  const shop = await startShop(
    tls,
    path.join(trackerDir, SNIPPET_FILE),
    dropCorsPolicy ? NO_CORS_EVENT_GAP_MS : undefined,
  );
  const consoleLines: string[] = [];
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(path.join(temp.dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      // The stand-in's certificate is self-signed and names 127.0.0.1, not the mapped hosts.
      ignoreHTTPSErrors: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--host-resolver-rules=MAP ${COLLECTOR_HOST} 127.0.0.1:${edge.port}, MAP www.shop.test 127.0.0.1:${shop.port}`,
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    await page.goto(`${SITE}/shop/basket?step=2`);
    await page.waitForFunction('document.title === "events tracked"', null, { timeout: 20_000 });
    await settled(edge.requests, dropCorsPolicy ? 1 : 5);
  } finally {
    await context?.close();
    await edge.close();
    await shop.close();
  }
  const hits: Hit[] = [];
  for (const request of edge.requests) {
    const params = new URLSearchParams(request.url.split("?")[1] ?? "");
    const kind = kindOf(params);
    assert.ok(kind, `an event the page tracked: ${request.method} ${request.url.slice(0, 80)}`);
    hits.push({ kind, request, params });
  }
  after(() => temp.cleanup());
  return { hits, logDir, v2Dirs, console: consoleLines, trackerOptions: setup };
}

/** `npm run logs` with these arguments (its main, in this process): what it printed. */
async function logs(args: string[]): Promise<string> {
  const output = captureOutput();
  const code = await logsMain(args, output);
  assert.strictEqual(code, 0, output.stderr.join("\n"));
  return output.stdout.join("\n");
}

const EACH_ONCE: Kind[] = ["page view", "structured", "self-describing", "long-URL page view"];

describe("the official browser tracker in Chromium, through an edge as the program declares it", function () {
  this.timeout(60_000);
  let tls: TestCertificate;

  before(() => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium), ` +
        "as .ci/run does. This browser test must run, not be skipped.",
    );
    tls = makeSelfSignedCert();
  });

  describe("default: any origin, credentials omitted", () => {
    let v: Visit;
    before(async () => (v = await visit(tls, ["*"])));

    it("is configured by tracker-config to omit credentials", () => {
      assert.strictEqual(v.trackerOptions.credentials, "omit");
    });

    it("delivers a page view, a structured event, a self-describing event and a long-URL page view, each once", () => {
      for (const kind of EACH_ONCE)
        assert.strictEqual(count(v.hits, kind), 1, `${kind}: ${v.console.join("\n")}`);
      const once = v.hits.filter((h) => EACH_ONCE.includes(h.kind));
      assert.deepStrictEqual(
        once.map((h) => [h.request.status, h.request.logged, h.request.cors["access-control-allow-origin"]]),
        once.map(() => [200, true, "*"]),
      );
      assert.ok(
        once.every(
          (h) => h.request.origin === SITE && !("access-control-allow-credentials" in h.request.cors),
        ),
      );
      assert.strictEqual(new Set(once.map((h) => h.params.get("eid"))).size, 4, "four distinct event ids");
    });

    it("sends the self-describing event's schema and its custom context", () => {
      const ue = v.hits.find((h) => h.kind === "self-describing") as Hit;
      const event = decodeBase64Json(ue.params.get("ue_px")) as { data: { schema: string } };
      assert.strictEqual(event.data.schema, SELF_DESCRIBING_SCHEMA);
      const contexts = decodeBase64Json(ue.params.get("cx")) as { data: { schema: string }[] };
      assert.ok(contexts.data.some((c) => c.schema === CONTEXT_SCHEMA));
    });

    it("sends an event over the 8,192-byte URL limit once, unlogged, after only a warning (tracker 4.x)", () => {
      const oversized = v.hits.filter((h) => h.kind === "oversized page view");
      assert.strictEqual(oversized.length, 1, "sent once, never retried");
      assert.strictEqual(oversized[0].request.status, 413);
      assert.strictEqual(oversized[0].request.logged, false);
      assert.ok(
        v.console.some((line) => /too big, max is 8000/.test(line)),
        v.console.join("\n"),
      );
    });

    it("npm run logs counts the four events the edge logged, by type and schema", async () => {
      const summary = JSON.parse(await logs([v.logDir, "--json"]));
      assert.strictEqual(summary.events, 4);
      assert.deepStrictEqual(summary.byEventType, { pv: 2, se: 1, ue: 1 });
      assert.deepStrictEqual(summary.bySchema, { [SELF_DESCRIBING_SCHEMA]: 1 });
      assert.strictEqual(summary.badPayloads, 0);
    });

    it("npm run logs --event-id shows each event's type, page and schemas", async () => {
      const lookup = async (kind: Kind): Promise<DecodedTrackerEvent> => {
        const eid = (v.hits.find((h) => h.kind === kind) as Hit).params.get("eid") as string;
        const { matches } = JSON.parse(await logs([v.logDir, "--event-id", eid, "--json"])) as {
          matches: DecodedTrackerEvent[];
        };
        assert.strictEqual(matches.length, 1, `${kind} ${eid}`);
        return matches[0];
      };
      const pageView = await lookup("page view");
      assert.deepStrictEqual(pageView.type, { code: "pv", name: "page view" });
      assert.strictEqual(pageView.page?.url, `${SITE}/shop/basket?step=2`);
      const structured = await lookup("structured");
      assert.strictEqual(structured.type.code, "se");
      assert.deepStrictEqual(
        [structured.structured?.category, structured.structured?.action, structured.structured?.label],
        ["basket", "add", STRUCTURED_LABEL],
      );
      assert.strictEqual(structured.page?.url, `${SITE}/shop/basket?step=2`);
      const selfDescribing = await lookup("self-describing");
      assert.strictEqual(selfDescribing.type.code, "ue");
      assert.deepStrictEqual(selfDescribing.selfDescribing, {
        schema: SELF_DESCRIBING_SCHEMA,
        data: { step: 2 },
      });
      assert.ok(
        selfDescribing.contexts.some(
          (c) => c.schema === CONTEXT_SCHEMA && (c.data as { items: number }).items === 3,
        ),
        JSON.stringify(selfDescribing.contexts),
      );
      assert.deepStrictEqual(selfDescribing.problems, []);
      const long = await lookup("long-URL page view");
      assert.strictEqual(long.page?.url, `${SITE}/search?${LONG_QUERY}`);
      // The same lookup as a person reads it.
      const eid = selfDescribing.params.eid;
      const text = await logs([v.logDir, "--event-id", eid]);
      assert.match(text, /^ {2}type: +self-describing/m);
      assert.match(text, new RegExp(`^ {2}page: +${SITE.replace(/\./g, "\\.")}/shop/basket\\?step=2$`, "m"));
      assert.match(text, new RegExp(`^ {2}schema: +${SELF_DESCRIBING_SCHEMA.replace(/\./g, "\\.")}$`, "m"));
      assert.match(text, new RegExp(`^ {2}context: +${CONTEXT_SCHEMA.replace(/\./g, "\\.")}$`, "m"));
    });

    /** Each event as `npm run logs --event-id` decodes it, without where it was found. */
    async function lookups(dir: string): Promise<unknown[]> {
      return Promise.all(
        EACH_ONCE.map(async (kind) => {
          const eid = (v.hits.find((h) => h.kind === kind) as Hit).params.get("eid") as string;
          const { matches } = JSON.parse(await logs([dir, "--event-id", eid, "--json"])) as {
            matches: DecodedTrackerEvent[];
          };
          assert.strictEqual(matches.length, 1, `${kind} in ${dir}`);
          const { file, line, ...event } = matches[0];
          assert.ok(file && line > 0);
          return event;
        }),
      );
    }

    it("v2 JSON written percent-encoded or as received names its encoding, reads back the same four events", async () => {
      for (const [encoding, dir] of Object.entries(v.v2Dirs)) {
        const summary = JSON.parse(await logs([dir, "--json"]));
        assert.deepStrictEqual(summary.byEncoding, { [encoding]: 1 });
        assert.strictEqual(summary.events, 4);
        assert.deepStrictEqual(summary.byEventType, { pv: 2, se: 1, ue: 1 });
      }
      const encoded = await lookups(v.v2Dirs["percent-encoded"]);
      const received = await lookups(v.v2Dirs["as received"]);
      const legacy = await lookups(v.logDir);
      assert.deepStrictEqual(received, encoded);
      // Legacy files have no c-country: its canonical geo_country is NULL there, DE in v2.
      const withoutCountry = (events: unknown[]) =>
        events.map((e) =>
          JSON.parse(JSON.stringify(e).replace(/"geo_country":(null|"DE")/g, '"geo_country":"?"')),
        );
      assert.deepStrictEqual(
        withoutCountry(encoded),
        withoutCountry(legacy),
        "the same as from the legacy W3C file",
      );
      const [pageView, structured, selfDescribing, long] = received as DecodedTrackerEvent[];
      assert.deepStrictEqual(
        [pageView.page?.url, pageView.page?.title],
        [`${SITE}/shop/basket?step=2`, PAGE_TITLE],
      );
      assert.deepStrictEqual(
        [structured.structured?.category, structured.structured?.action, structured.structured?.label],
        ["basket", "add", STRUCTURED_LABEL],
      );
      assert.strictEqual(selfDescribing.selfDescribing?.schema, SELF_DESCRIBING_SCHEMA);
      assert.ok(selfDescribing.contexts.some((c) => c.schema === CONTEXT_SCHEMA));
      assert.strictEqual(long.page?.url, `${SITE}/search?${LONG_QUERY}`);
    });
  });

  describe("an allow-list of site origins, credentials included", () => {
    let v: Visit;
    before(async () => (v = await visit(tls, [SITE])));

    it("delivers each event once, with the origin echoed and credentials allowed", () => {
      assert.strictEqual(v.trackerOptions.credentials, "include");
      for (const kind of EACH_ONCE) assert.strictEqual(count(v.hits, kind), 1, kind);
      for (const h of v.hits.filter((x) => EACH_ONCE.includes(x.kind))) {
        assert.deepStrictEqual(h.request.cors, {
          "access-control-allow-origin": SITE,
          "access-control-allow-credentials": "true",
        });
      }
    });
  });

  describe("the same edge without the response headers policy (what the test guards against)", () => {
    let v: Visit;
    before(async () => (v = await visit(tls, ["*"], true)));

    it("does not deliver each event once: the first page view is resent, later events are lost", () => {
      const delivered = EACH_ONCE.map((kind) => count(v.hits, kind));
      assert.notDeepStrictEqual(delivered, [1, 1, 1, 1], "without CORS the browser test must fail");
      assert.ok(count(v.hits, "page view") > 1, `page view resent: ${JSON.stringify(delivered)}`);
      assert.ok(
        delivered.slice(1).some((n) => n === 0),
        `some later event lost: ${JSON.stringify(delivered)}`,
      );
      assert.ok(
        v.console.some((line) => /CORS|Access-Control-Allow-Origin/.test(line)),
        v.console.join("\n"),
      );
    });
  });
});
