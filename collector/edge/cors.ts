/**
 * CORS on the pixel. The Snowplow browser tracker 4.x sends every GET with `fetch()`, and a fetch
 * whose answer lacks `Access-Control-Allow-Origin` fails in the page although the edge logged it:
 * the tracker then retries, logging the oldest event again and again while newer ones wait. So the
 * distribution answers with CORS headers from a response headers policy (corsPolicy.ts).
 *
 * Two modes, from one list of allowed origins:
 * - `["*"]` (the default): `Access-Control-Allow-Origin: *`, no credentials. The tracker must then
 *   send `credentials: "omit"` (the browser refuses `*` for a request with credentials).
 * - site origins (`https://www.example.com`): CloudFront echoes the request's origin when it is on
 *   the list and adds `Access-Control-Allow-Credentials: true`. CloudFront refuses `*` together
 *   with credentials, so the two are never combined.
 *
 * The rules only, without Pulumi: the log reader reaches them through the tracker config, and
 * loading @pulumi/aws for them cost `npm run logs` about 28 MiB of heap and its start-up time.
 */
export const ANY_ORIGIN = "*";

/** The default: any site may send events, without credentials. */
export const DEFAULT_CORS_ALLOWED_ORIGINS: readonly string[] = [ANY_ORIGIN];

/**
 * Methods named in `Access-Control-Allow-Methods` (sent on preflights only). OPTIONS is not among
 * them and not among the distribution's allowed methods: the tracker's GET without custom headers
 * is a simple request that needs no preflight, and a preflight is not an event.
 */
export const CORS_ALLOWED_METHODS: readonly string[] = ["GET", "HEAD"];

/**
 * `Access-Control-Allow-Headers` (preflights only, so never sent here). The API requires the list,
 * the provider drops an empty one and AWS then refuses the policy (terraform-provider-aws #30440),
 * and CloudFront refuses `*` in it when credentials are allowed (aws-cdk #35308): one
 * CORS-safelisted header stands in.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = ["Content-Type"];

/** The CORS part of the response headers policy, in the provider's input shape. */
export interface CorsConfig {
  accessControlAllowCredentials: boolean;
  accessControlAllowHeaders: { items: string[] };
  accessControlAllowMethods: { items: string[] };
  accessControlAllowOrigins: { items: string[] };
  originOverride: boolean;
}

export function isAnyOrigin(origins: readonly string[]): boolean {
  return origins.length === 1 && origins[0] === ANY_ORIGIN;
}

/** Whether browsers may send credentials to the collector: only with an allow-list of origins. */
export function credentialsAllowed(origins: readonly string[]): boolean {
  return !isAnyOrigin(origins);
}

export function corsConfigFor(origins: readonly string[]): CorsConfig {
  return {
    accessControlAllowCredentials: credentialsAllowed(origins),
    accessControlAllowHeaders: { items: [...CORS_ALLOWED_HEADERS] },
    accessControlAllowMethods: { items: [...CORS_ALLOWED_METHODS] },
    accessControlAllowOrigins: { items: [...origins] },
    // S3 sends no CORS headers for the pixel; should one ever appear, the declared answer wins.
    originOverride: true,
  };
}

/**
 * The CORS headers CloudFront adds to a GET of the pixel with a response headers policy holding
 * `cors`, for a request sent with `Origin: requestOrigin` (undefined: no Origin header, not a CORS
 * request, no CORS headers). The stand-in edge of the tests and `npm run verify` both use it.
 */
export function corsResponseHeaders(
  cors: Pick<CorsConfig, "accessControlAllowCredentials" | "accessControlAllowOrigins">,
  requestOrigin: string | undefined,
): Record<string, string> {
  if (requestOrigin === undefined) return {};
  const allowed = cors.accessControlAllowOrigins.items;
  let allowOrigin: string;
  if (allowed.includes(ANY_ORIGIN)) allowOrigin = ANY_ORIGIN;
  else if (allowed.includes(requestOrigin)) allowOrigin = requestOrigin;
  else return {};
  return {
    "access-control-allow-origin": allowOrigin,
    ...(cors.accessControlAllowCredentials ? { "access-control-allow-credentials": "true" } : {}),
  };
}
