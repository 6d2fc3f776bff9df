/**
 * The response headers policy that answers the pixel's GETs with the CORS headers of cors.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { corsConfigFor, isAnyOrigin } from "./cors";

export function declareCorsPolicy(
  name: string,
  origins: readonly string[],
  opts: pulumi.CustomResourceOptions,
): aws.cloudfront.ResponseHeadersPolicy {
  return new aws.cloudfront.ResponseHeadersPolicy(
    `${name}-pixel-cors`,
    {
      comment: isAnyOrigin(origins)
        ? "Tracking pixel: CORS for any site, without credentials"
        : "Tracking pixel: CORS for the listed sites, with credentials",
      corsConfig: corsConfigFor(origins),
    },
    opts,
  );
}
