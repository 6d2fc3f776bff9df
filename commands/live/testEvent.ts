/**
 * The tagged test event `npm run verify` sends: a page view shaped like the JavaScript
 * tracker's, with a fresh event id to find it again in the access log.
 */
import { randomUUID } from "crypto";
import { encodeTrackerQuery } from "../../logs/trackerEvent";

export const DEFAULT_TEST_APP_ID = "cloudfront-collector-verify";

export interface TestEvent {
  eventId: string;
  /** The pixel URL with the event in its query string. */
  url: string;
  params: Record<string, string>;
}

export function makeTestEvent(
  pixelUrl: string,
  appId: string,
  now = new Date(),
  eventId = randomUUID(),
): TestEvent {
  const page = "https://cloudfront-collector.invalid/verify";
  const params = {
    e: "pv",
    url: `${page}?sent=${now.toISOString()}`,
    page: "cloudfront-collector verify",
    tv: "cloudfront-collector-verify-1",
    tna: "verify",
    p: "web",
    aid: appId,
    eid: eventId,
    dtm: String(now.getTime()),
    stm: String(now.getTime()),
  };
  const url = new URL(pixelUrl);
  url.search = encodeTrackerQuery(params);
  return { eventId, url: url.href, params };
}
