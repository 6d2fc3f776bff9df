/**
 * The files `npm run tracker-config` writes: the tracker settings as JSON, for any tooling, and
 * a JavaScript snippet for the Snowplow browser tracker.
 */
import { TrackerConfig } from "../collector/trackerConfig";

export interface TrackerSetup {
  /** The first argument of newTracker: the tracker's namespace. */
  trackerName: string;
  appId: string;
  /** The collector's base URL: the tracker appends /i itself for GET requests. */
  collectorUrl: string;
  platform: "web";
  eventMethod: TrackerConfig["eventMethod"];
  maxGetBytes: number;
  pixelUrl: string;
  /** Which stack outputs this was made from. */
  source: string;
}

export function trackerSetupFor(config: TrackerConfig, appId: string, source: string): TrackerSetup {
  return {
    trackerName: "sp",
    appId,
    collectorUrl: config.endpoint,
    platform: "web",
    eventMethod: config.eventMethod,
    maxGetBytes: config.maxGetBytes,
    pixelUrl: config.pixelUrl,
    source,
  };
}

export function trackerConfigJson(setup: TrackerSetup): string {
  return JSON.stringify(setup, null, 2) + "\n";
}

export function trackerSnippet(setup: TrackerSetup): string {
  const options = JSON.stringify(
    {
      appId: setup.appId,
      platform: setup.platform,
      eventMethod: setup.eventMethod,
      maxGetBytes: setup.maxGetBytes,
    },
    null,
    2,
  ).replace(/"(\w+)":/g, "$1:");
  const name = JSON.stringify(setup.trackerName);
  const url = JSON.stringify(setup.collectorUrl);
  return `// Snowplow browser tracker set-up for the CloudFront collector (${setup.source}).
// Made by \`npm run tracker-config\`: run it again after \`pulumi up\` if the collector's domain changes.
//
// The collector only sees what reaches CloudFront's access log, so keep these two options:
// - eventMethod "get": a POST never reaches the pixel and is lost without an error;
// - maxGetBytes below 8192: CloudFront does not log a request whose URL is longer.
//
// With the JavaScript tag (sp.js) instead of npm, the same call is:
//   window.snowplow("newTracker", ${name}, ${url}, ${options.replace(/\n\s*/g, " ")});
import { newTracker, trackPageView } from "@snowplow/browser-tracker";

newTracker(${name}, ${url}, ${options});

trackPageView();
`;
}
