/**
 * The CORS check of the live pixel: a GET with an `Origin` header, as a browser's fetch() sends it,
 * must come back with the `Access-Control-Allow-Origin` (and, for an allow-list, the
 * `Access-Control-Allow-Credentials`) the stack's CORS policy declares. Without it, tracker 4.x
 * resends logged events and never sends later ones.
 */
import { corsConfigFor, corsResponseHeaders, isAnyOrigin } from "../../collector/edge/cors";
import { httpGetWithRetries, NetworkFailure, RetryOptions } from "./httpGet";

/** The Origin sent when the stack admits any site: a name that can belong to no real site. */
export const PROBE_ORIGIN = "https://cloudfront-collector.invalid";

export interface CorsCheck {
  origin: string;
  /** What the answer's CORS headers must be, for the message. */
  expected: string;
  ok: boolean;
  status?: number;
  problems: string[];
}

const HEADERS = ["access-control-allow-origin", "access-control-allow-credentials"] as const;

function describe(headers: Record<string, string>): string {
  const parts = HEADERS.filter((h) => h in headers).map((h) => `${h}: ${headers[h]}`);
  return parts.length === 0 ? "no CORS headers" : parts.join(", ");
}

/** The origins to try: a site the stack admits (or `origin`), and for an allow-list one it does not. */
export function corsProbes(allowedOrigins: readonly string[], origin?: string): string[] {
  if (isAnyOrigin(allowedOrigins)) return [origin ?? PROBE_ORIGIN];
  const listed = origin ?? allowedOrigins[0];
  return listed === PROBE_ORIGIN ? [listed] : [listed, PROBE_ORIGIN];
}

export async function checkCors(
  url: string,
  allowedOrigins: readonly string[],
  request: RetryOptions,
  origin?: string,
): Promise<CorsCheck[]> {
  const cors = corsConfigFor(allowedOrigins);
  const checks: CorsCheck[] = [];
  for (const probe of corsProbes(allowedOrigins, origin)) {
    const want = corsResponseHeaders(cors, probe);
    const expected = describe(want);
    try {
      const answer = await httpGetWithRetries(url, { ...request, headers: { origin: probe } });
      const got = Object.fromEntries(
        HEADERS.filter((h) => answer.headers[h] !== undefined).map((h) => [h, String(answer.headers[h])]),
      );
      const problems: string[] = [];
      if (answer.status !== 200) problems.push(`status ${answer.status}, expected 200`);
      for (const h of HEADERS) {
        if (got[h] !== want[h]) {
          problems.push(
            `${h}: ${got[h] === undefined ? "(none)" : JSON.stringify(got[h])}, expected ${
              want[h] === undefined ? "none" : JSON.stringify(want[h])
            }`,
          );
        }
      }
      checks.push({ origin: probe, expected, ok: problems.length === 0, status: answer.status, problems });
    } catch (error) {
      const message = error instanceof NetworkFailure ? error.message : String(error);
      checks.push({ origin: probe, expected, ok: false, problems: [message] });
    }
  }
  return checks;
}
