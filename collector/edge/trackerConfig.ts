/**
 * What a Snowplow JavaScript tracker needs to send events to this collector. Both the stack
 * output `trackerConfig` and `npm run tracker-config` build it here, so they cannot drift apart.
 */
import { credentialsAllowed } from "./cors";
import { PIXEL_KEY } from "./pixel";

/**
 * CloudFront does not log a request whose URL exceeds 8,192 bytes (it answers with an error and
 * writes no log line). The tracker's limit stays below that with room for the scheme, host and
 * `/i` path. Tracker 4.x does not enforce it: an event over the limit is only warned about and
 * sent once anyway, and is then lost (see docs/tracker.md).
 */
export const MAX_GET_BYTES = 8000;

/** CloudFront's limit on a request URL, past which the request is not logged. */
export const CLOUDFRONT_MAX_URL_BYTES = 8192;

/** The path every tracker GET goes to: the pixel object's key in the pixel bucket. */
export const PIXEL_PATH = `/${PIXEL_KEY}`;

/**
 * The tracker's `credentials` option (fetch's credentials mode). "omit" goes with the wildcard
 * origin, which browsers refuse for a request with credentials; "include" (the tracker's default)
 * goes with an allow-list, which the edge answers with `Access-Control-Allow-Credentials: true`.
 */
export type TrackerCredentials = "omit" | "include";

export interface TrackerConfig {
  /** Second argument of the tracker's `newTracker(name, endpoint, options)`. */
  endpoint: string;
  /** Only GETs reach the access log: a POST to this collector would be lost. */
  eventMethod: "get";
  /** The size the tracker warns above; events must stay below CloudFront's 8,192-byte URL limit. */
  maxGetBytes: number;
  /** What the edge's CORS answer lets the browser send. */
  credentials: TrackerCredentials;
  /** The URL the tracker will request, for the live check. */
  pixelUrl: string;
}

export function trackerCredentialsFor(corsAllowedOrigins: readonly string[]): TrackerCredentials {
  return credentialsAllowed(corsAllowedOrigins) ? "include" : "omit";
}

/** Builds the tracker configuration for a collector served at `domain` over HTTPS. */
export function trackerConfigFor(domain: string, corsAllowedOrigins: readonly string[]): TrackerConfig {
  const endpoint = `https://${domain}`;
  return {
    endpoint,
    eventMethod: "get",
    maxGetBytes: MAX_GET_BYTES,
    credentials: trackerCredentialsFor(corsAllowedOrigins),
    pixelUrl: `${endpoint}${PIXEL_PATH}`,
  };
}
