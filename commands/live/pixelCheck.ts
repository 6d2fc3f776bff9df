/**
 * What the edge should answer for the pixel over each scheme, given the distribution's viewer
 * protocol policy, and the check of a real answer against it.
 */
import { PIXEL_CONTENT_TYPE } from "../../collector/edge/pixel";
import { ViewerProtocolPolicy } from "../../collector/config/args";
import { HttpAnswer, httpGetWithRetries, NetworkFailure, RetryOptions } from "./httpGet";

export type Scheme = "https" | "http";

export type Expectation = { kind: "pixel" } | { kind: "redirect-to-https" } | { kind: "forbidden" };

export function expectationFor(policy: ViewerProtocolPolicy, scheme: Scheme): Expectation {
  if (scheme === "https" || policy === "allow-all") return { kind: "pixel" };
  return policy === "redirect-to-https" ? { kind: "redirect-to-https" } : { kind: "forbidden" };
}

function describeExpectation(expectation: Expectation): string {
  switch (expectation.kind) {
    case "pixel":
      return `200 with the pixel (${PIXEL_CONTENT_TYPE})`;
    case "redirect-to-https":
      return "301 to the same URL over https";
    case "forbidden":
      return "403";
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** What is wrong with an answer; empty when it is what the policy says. */
export function problemsWith(
  answer: HttpAnswer,
  expectation: Expectation,
  url: string,
  pixel: Buffer,
): string[] {
  const problems: string[] = [];
  switch (expectation.kind) {
    case "pixel": {
      if (answer.status !== 200) problems.push(`status ${answer.status}, expected 200`);
      const type = answer.headers["content-type"];
      if (mediaType(type) !== PIXEL_CONTENT_TYPE) {
        problems.push(`Content-Type ${JSON.stringify(type ?? "(none)")}, expected ${PIXEL_CONTENT_TYPE}`);
      }
      if (!answer.body.equals(pixel)) {
        problems.push(`body is ${answer.body.length} bytes that are not the ${pixel.length}-byte pixel`);
      }
      break;
    }
    case "redirect-to-https": {
      if (answer.status !== 301) problems.push(`status ${answer.status}, expected 301`);
      const location = answer.headers.location;
      const expected = new URL(url);
      expected.protocol = "https:";
      expected.port = "";
      if (location === undefined) problems.push("no Location header");
      else if (!sameTarget(location, expected)) {
        problems.push(`Location ${location}, expected ${expected.href}`);
      }
      break;
    }
    case "forbidden":
      if (answer.status !== 403) problems.push(`status ${answer.status}, expected 403`);
      break;
  }
  return problems;
}

function sameTarget(location: string, expected: URL): boolean {
  try {
    const actual = new URL(location);
    return (
      actual.protocol === "https:" && actual.host === expected.host && actual.pathname === expected.pathname
    );
  } catch {
    return false;
  }
}

export interface SchemeCheck {
  scheme: Scheme;
  url: string;
  expected: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  /** Wrong answers, or the network failure that left no answer. */
  problems: string[];
}

export async function checkScheme(
  scheme: Scheme,
  url: string,
  policy: ViewerProtocolPolicy,
  pixel: Buffer,
  request: RetryOptions,
): Promise<SchemeCheck> {
  const expectation = expectationFor(policy, scheme);
  const expected = describeExpectation(expectation);
  let answer: HttpAnswer;
  try {
    answer = await httpGetWithRetries(url, request);
  } catch (error) {
    const message = error instanceof NetworkFailure ? error.message : String(error);
    return { scheme, url, expected, ok: false, problems: [message] };
  }
  const problems = problemsWith(answer, expectation, url, pixel);
  return {
    scheme,
    url,
    expected,
    ok: problems.length === 0,
    status: answer.status,
    latencyMs: answer.latencyMs,
    problems,
  };
}
