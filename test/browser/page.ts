/**
 * The shop page the browser test loads: the official tracker's own browser build, the snippet
 * `npm run tracker-config` wrote (run as it is, through an import map), then four more events.
 */
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as path from "path";
import { TestCertificate } from "../support/selfSignedCert";

/** The tracker's self-contained UMD build (no bundler needed): sets `snowplowBrowserTracking`. */
const TRACKER_BUILD = path.join(
  path.dirname(require.resolve("@snowplow/browser-tracker/package.json")),
  "dist/index.umd.min.js",
);

export const SELF_DESCRIBING_SCHEMA = "iglu:com.example/checkout_step/jsonschema/1-0-0";
export const CONTEXT_SCHEMA = "iglu:com.example/basket/jsonschema/1-0-0";
/** A page URL long enough to matter, short enough for maxGetBytes (about 3.3 KB in the GET). */
export const LONG_QUERY = "q=" + "long".repeat(800);
/** A page URL that pushes the GET past CloudFront's 8,192 bytes. */
export const OVERSIZED_QUERY = "q=" + "huge".repeat(2500);

/**
 * A title and a label with `&`, `=` and `%`: a reader that decodes a query held as received once
 * too often cuts them short (issue #16), one that decodes too little leaves escapes in.
 */
export const PAGE_TITLE = "Shop: 50% off & more = less";
export const STRUCTURED_LABEL = "sku-42 & 50% off";

/** The moment between two events of a visit, unless the caller asks for a longer one. */
export const EVENT_GAP_MS = 200;

// The snippet imports "@snowplow/browser-tracker"; the import map points it here.
const SHIM = `const sp = globalThis.snowplowBrowserTracking;
export const { newTracker, trackPageView, trackStructEvent, trackSelfDescribingEvent, setCustomUrl } = sp;
`;

// A visitor acts over time: each event comes a moment after the one before, as on a real page
// (and as in the visit where the missing CORS answer was first seen).
const eventsScript = (gapMs: number): string => `import {
  setCustomUrl, trackPageView, trackSelfDescribingEvent, trackStructEvent,
} from "@snowplow/browser-tracker";
const moment = () => new Promise((resolve) => setTimeout(resolve, ${gapMs}));
await moment();
trackStructEvent({ category: "basket", action: "add", label: ${JSON.stringify(STRUCTURED_LABEL)}, value: 2 });
await moment();
trackSelfDescribingEvent({
  event: { schema: ${JSON.stringify(SELF_DESCRIBING_SCHEMA)}, data: { step: 2 } },
  context: [{ schema: ${JSON.stringify(CONTEXT_SCHEMA)}, data: { items: 3 } }],
});
await moment();
setCustomUrl(location.origin + "/search?" + ${JSON.stringify(LONG_QUERY)});
trackPageView({ title: "long URL" });
await moment();
setCustomUrl(location.origin + "/search?" + ${JSON.stringify(OVERSIZED_QUERY)});
trackPageView({ title: "oversized" });
document.title = "events tracked";
`;

const HTML = `<!doctype html>
<html><head><title>Shop: 50% off &amp; more = less</title>
<script type="importmap">{ "imports": { "@snowplow/browser-tracker": "/browser-tracker.mjs" } }</script>
<script src="/sp.umd.js"></script>
<script type="module" src="/snowplow-tracker.js"></script>
<script type="module" src="/events.mjs"></script>
</head><body>basket</body></html>`;

export interface ShopServer {
  port: number;
  close(): Promise<void>;
}

/** Serves the page over HTTPS on 127.0.0.1, with `snippetFile` as /snowplow-tracker.js. */
export async function startShop(
  tls: TestCertificate,
  snippetFile: string,
  eventGapMs = EVENT_GAP_MS,
): Promise<ShopServer> {
  const files: Record<string, [string, () => string]> = {
    "/shop/basket": ["text/html", () => HTML],
    "/sp.umd.js": ["text/javascript", () => fs.readFileSync(TRACKER_BUILD, "utf8")],
    "/browser-tracker.mjs": ["text/javascript", () => SHIM],
    "/snowplow-tracker.js": ["text/javascript", () => fs.readFileSync(snippetFile, "utf8")],
    "/events.mjs": ["text/javascript", () => eventsScript(eventGapMs)],
  };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const file = files[(request.url ?? "/").split("?")[0]];
    if (file) response.writeHead(200, { "content-type": file[0] }).end(file[1]());
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
