/**
 * What the program declares the edge answers for the pixel, read from a run of the program under
 * mocks: the default behaviour's allowed methods, the response headers policy attached to it (its
 * CORS part), and the pixel object's bytes and headers. A stand-in edge built from this answers as
 * the declared distribution would, so a test of it tests the program, not a copy of its values.
 */
import * as assert from "assert";
import { CorsConfig } from "../../collector/edge/cors";
import { ProgramRun } from "../../offline/mockRun";
import { get, one, T } from "../harness";

export const RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";

export interface EdgeDeclaration {
  allowedMethods: string[];
  /** The CORS config of the response headers policy on the default behaviour, if any. */
  cors?: CorsConfig;
  pixel: Buffer;
  contentType: string;
  cacheControl: string;
}

export function edgeDeclarationOf(run: ProgramRun): EdgeDeclaration {
  const cdn = one(run, T.distribution);
  const attached = run.resources.filter(
    (r) =>
      r.type === RESPONSE_HEADERS_POLICY &&
      (cdn.propertyDependencies.defaultCacheBehavior ?? []).includes(r.urn),
  );
  assert.ok(attached.length <= 1, "at most one response headers policy on the default behaviour");
  const object = one(run, T.object);
  return {
    allowedMethods: get(cdn, "defaultCacheBehavior", "allowedMethods") as string[],
    cors: attached.length === 1 ? (get(attached[0], "corsConfig") as CorsConfig) : undefined,
    pixel: Buffer.from(String(get(object, "contentBase64")), "base64"),
    contentType: String(get(object, "contentType")),
    cacheControl: String(get(object, "cacheControl")),
  };
}
