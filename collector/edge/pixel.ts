/**
 * The tracking pixel: a 43-byte transparent 1x1 GIF89a. Snowplow moved to exactly this size in
 * 2014 after Gmail's image proxy refused a 37-byte GIF (snowplow/snowplow #1258): smaller is not
 * better. The bytes live in pixel.gif so they can be inspected and decoded by tests.
 */
import * as fs from "fs";
import * as path from "path";

/** The S3 key of the pixel, and so the path trackers GET (`/i`). */
export const PIXEL_KEY = "i";

export const PIXEL_CONTENT_TYPE = "image/gif";

/**
 * What the Stream Collector sends with its pixel: browsers must not reuse a cached answer, since
 * each event is its own request. The edge caches regardless (see distribution.ts).
 */
export const PIXEL_CACHE_CONTROL = "no-cache, no-store, must-revalidate";

const PIXEL_FILE = path.join(__dirname, "pixel.gif");

export function pixelBytes(): Buffer {
  return fs.readFileSync(PIXEL_FILE);
}
