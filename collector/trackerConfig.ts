/**
 * What a Snowplow JavaScript tracker needs to send events to this collector. Both the stack
 * output `trackerConfig` and `npm run tracker-config` build it here, so they cannot drift apart.
 */
import { PIXEL_KEY } from "./pixel";

/**
 * CloudFront drops requests whose URL exceeds 8,192 bytes from its access logs without a trace.
 * The tracker's own limit stays below that with room for the scheme, host and `/i` path.
 */
export const MAX_GET_BYTES = 8000;

/** The path every tracker GET goes to: the pixel object's key in the pixel bucket. */
export const PIXEL_PATH = `/${PIXEL_KEY}`;

export interface TrackerConfig {
  /** Second argument of the tracker's `newTracker(name, endpoint, options)`. */
  endpoint: string;
  /** Only GETs reach the access log: a POST to this collector would be lost. */
  eventMethod: "get";
  /** Keeps every GET short enough for CloudFront to log it. */
  maxGetBytes: number;
  /** The URL the tracker will request, for the live check. */
  pixelUrl: string;
}

/** Builds the tracker configuration for a collector served at `domain` over HTTPS. */
export function trackerConfigFor(domain: string): TrackerConfig {
  const endpoint = `https://${domain}`;
  return {
    endpoint,
    eventMethod: "get",
    maxGetBytes: MAX_GET_BYTES,
    pixelUrl: `${endpoint}${PIXEL_PATH}`,
  };
}
