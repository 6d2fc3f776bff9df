/**
 * The files `npm run tracker-config` writes: the tracker settings as JSON, for any tooling, and
 * a JavaScript snippet for the Snowplow browser tracker.
 */
import { TrackerConfig, TrackerCredentials } from "../collector/edge/trackerConfig";

export interface TrackerSetup {
  /** The first argument of newTracker: the tracker's namespace. */
  trackerName: string;
  appId: string;
  /** The collector's base URL: the tracker appends /i itself for GET requests. */
  collectorUrl: string;
  platform: "web";
  eventMethod: TrackerConfig["eventMethod"];
  maxGetBytes: number;
  credentials: TrackerCredentials;
  pixelUrl: string;
  /** Which stack outputs this was made from. */
  source: string;
}

/**
 * The third argument of `newTracker`. Every key must be one the tracker's own
 * `TrackerConfiguration` type declares (test/tracker/trackerOptions.spec.ts checks it with tsc and
 * against the installed typings): an unknown option is silently ignored by the tracker.
 */
export interface TrackerOptions {
  appId: string;
  platform: "web";
  eventMethod: "get";
  maxGetBytes: number;
  credentials: TrackerCredentials;
}

export function trackerSetupFor(config: TrackerConfig, appId: string, source: string): TrackerSetup {
  return {
    trackerName: "sp",
    appId,
    collectorUrl: config.endpoint,
    platform: "web",
    eventMethod: config.eventMethod,
    maxGetBytes: config.maxGetBytes,
    credentials: config.credentials,
    pixelUrl: config.pixelUrl,
    source,
  };
}

export function trackerOptionsFor(setup: TrackerSetup): TrackerOptions {
  return {
    appId: setup.appId,
    platform: setup.platform,
    eventMethod: setup.eventMethod,
    maxGetBytes: setup.maxGetBytes,
    credentials: setup.credentials,
  };
}

export function trackerConfigJson(setup: TrackerSetup): string {
  return JSON.stringify(setup, null, 2) + "\n";
}

const CREDENTIALS_NOTE: Record<TrackerCredentials, string> = {
  omit:
    '// - credentials "omit": the collector answers any site with `Access-Control-Allow-Origin: *`,\n' +
    '//   which browsers refuse for a request with credentials (the tracker\'s default, "include").',
  include:
    '// - credentials "include": the collector answers only its listed sites, echoing the origin\n' +
    "//   with `Access-Control-Allow-Credentials: true`; a page on another origin gets no answer.",
};

export function trackerSnippet(setup: TrackerSetup): string {
  const options = JSON.stringify(trackerOptionsFor(setup), null, 2).replace(/"(\w+)":/g, "$1:");
  const name = JSON.stringify(setup.trackerName);
  const url = JSON.stringify(setup.collectorUrl);
  return `// Snowplow browser tracker set-up for the CloudFront collector (${setup.source}).
// Made by \`npm run tracker-config\`: run it again after \`pulumi up\` if the collector's domain changes.
//
// The collector only sees what reaches CloudFront's access log, so keep these options:
// - eventMethod "get": a POST never reaches the pixel and is lost without an error;
// - maxGetBytes below 8192: CloudFront does not log a request whose URL is longer. The tracker
//   only warns above it and sends anyway, so keep events small (fewer, smaller contexts);
${CREDENTIALS_NOTE[setup.credentials]}
// Do not add customHeaders (or server-side anonymisation, which sends a header): a request with
// custom headers needs a CORS preflight (OPTIONS), which this collector does not answer.
//
// With the JavaScript tag (sp.js) instead of npm, the same call is:
//   window.snowplow("newTracker", ${name}, ${url}, ${options.replace(/\n\s*/g, " ")});
import { newTracker, trackPageView } from "@snowplow/browser-tracker";

newTracker(${name}, ${url}, ${options});

trackPageView();
`;
}
