/**
 * One GET, over HTTP or HTTPS, without following redirects (the redirect is what some checks
 * look at), with a timeout for the whole exchange and failures sorted into what a user can act on.
 */
import * as http from "http";
import * as https from "https";
import { LookupFunction } from "net";
import { performance } from "perf_hooks";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From sending the request to the last byte of the body. */
  latencyMs: number;
}

export type NetworkFailureKind = "dns" | "tls" | "connection" | "timeout" | "other";

export class NetworkFailure extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  timeoutMs: number;
  /** Extra trusted certificates (PEM): tests use it for a loopback HTTPS server. */
  ca?: string;
  /** Name resolution; tests replace it to see DNS failures without asking a resolver. */
  lookup?: LookupFunction;
  /** Extra request headers, e.g. `Origin` for the CORS check. */
  headers?: Record<string, string>;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function classify(url: URL, error: NodeJS.ErrnoException): NetworkFailure {
  const code = error.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new NetworkFailure(
      "dns",
      `DNS: ${url.hostname} does not resolve (${code}). Is the domain right, and has its DNS record propagated?`,
    );
  }
  if (TLS_CODES.test(code) || /certificate|SSL|TLS/i.test(error.message)) {
    return new NetworkFailure(
      "tls",
      `TLS: ${url.host} did not present a certificate this machine trusts for that name (${code || error.message}). ` +
        `For a custom domain, is the ACM certificate in us-east-1 attached to the distribution?`,
    );
  }
  if (["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ETIMEDOUT"].includes(code)) {
    return new NetworkFailure("connection", `connection to ${url.host} failed (${code}).`);
  }
  return new NetworkFailure("other", `request to ${url.href} failed: ${error.message}`);
}

export function httpGet(target: string, options: RequestOptions): Promise<HttpAnswer> {
  const url = new URL(target);
  const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
  if (client === undefined)
    return Promise.reject(new NetworkFailure("other", `not an http(s) URL: ${target}`));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let settled = false;
    const fail = (failure: NetworkFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(failure);
    };
    const request = client.get(
      url,
      {
        ca: options.ca,
        lookup: options.lookup,
        agent: false,
        headers: { "user-agent": "cloudfront-collector-verify", ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => fail(classify(url, error)));
        response.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            latencyMs: performance.now() - started,
          });
        });
      },
    );
    request.on("error", (error) => fail(classify(url, error)));
    const timer = setTimeout(
      () =>
        fail(
          new NetworkFailure(
            "timeout",
            `no complete answer from ${url.href} within ${options.timeoutMs} ms.`,
          ),
        ),
      options.timeoutMs,
    );
  });
}

export interface RetryOptions extends RequestOptions {
  /** Further attempts after the first, for timeouts, dropped connections and 5xx answers. */
  retries: number;
  retryDelayMs: number;
}

/**
 * GET with bounded retries. DNS and TLS failures are not retried: they will not fix themselves
 * in a second. A 5xx is retried, and returned as it is if it persists.
 */
export async function httpGetWithRetries(target: string, options: RetryOptions): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retries;
    try {
      const answer = await httpGet(target, options);
      if (answer.status < 500 || last) return answer;
    } catch (error) {
      const retryable =
        error instanceof NetworkFailure && (error.kind === "timeout" || error.kind === "connection");
      if (!retryable || last) {
        if (error instanceof NetworkFailure && attempt > 0) {
          throw new NetworkFailure(error.kind, `${attempt + 1} attempts; the last: ${error.message}`);
        }
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  }
}
