/**
 * The oversized probe: one GET of the pixel whose URL is just over CloudFront's 8,192-byte limit,
 * shaped like a tracker page view with its own event id. CloudFront's documentation says such a
 * request is not logged; verify reports what the live edge answered, so that the limit is seen,
 * not assumed. It never changes verify's verdict: a lost oversized event is the tracker's doing.
 */
import { randomUUID } from "crypto";
import { CLOUDFRONT_MAX_URL_BYTES } from "../../collector/edge/trackerConfig";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { httpGetWithRetries, NetworkFailure, RetryOptions } from "./httpGet";

/** How far past the limit the probe goes. */
const OVER_BY = 100;

export interface OversizedProbe {
  eventId: string;
  url: string;
  bytes: number;
}

export function makeOversizedProbe(pixelUrl: string, appId: string, eventId = randomUUID()): OversizedProbe {
  const url = new URL(pixelUrl);
  const params = { e: "pv", tna: "verify-oversized", p: "web", aid: appId, eid: eventId, pad: "" };
  url.search = encodeTrackerQuery(params);
  const padding = CLOUDFRONT_MAX_URL_BYTES + OVER_BY - Buffer.byteLength(url.href);
  url.search = encodeTrackerQuery({ ...params, pad: "x".repeat(Math.max(padding, 0)) });
  return { eventId, url: url.href, bytes: Buffer.byteLength(url.href) };
}

/** One line saying what happened to the probe. */
export async function sendOversizedProbe(probe: OversizedProbe, request: RetryOptions): Promise<string> {
  const head = `oversized probe (${probe.bytes}-byte URL, eid=${probe.eventId}):`;
  const limit = `CloudFront does not log a request whose URL exceeds ${CLOUDFRONT_MAX_URL_BYTES} bytes`;
  try {
    const answer = await httpGetWithRetries(probe.url, { ...request, retries: 0 });
    if (answer.status >= 400) {
      return (
        `${head} answered ${answer.status}. ${limit}, so such an event is lost; tracker 4.x only ` +
        `warns above maxGetBytes, sends it once and drops it.`
      );
    }
    return (
      `${head} answered ${answer.status}. ${limit} (its documentation); look for this eid with ` +
      `--event-id later to see whether this edge did.`
    );
  } catch (error) {
    const message = error instanceof NetworkFailure ? error.message : String(error);
    return `${head} no answer (${message}).`;
  }
}
