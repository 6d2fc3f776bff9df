// Policy on the pixel's CORS answer: Snowplow's browser tracker 4.x reads every answer with fetch(),
// and without Access-Control-Allow-Origin the browser fails the request the edge already logged, so
// the tracker sends the same event again and again while later ones wait.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { MANAGED_CORS_POLICIES, RESPONSE_HEADERS_POLICY } from "../awsTypes";
import { CollectorGraph, Node, label } from "../collectorGraph";
import { Plain, arr, isUnknown, obj, show, str } from "../values";

const ANY_ORIGIN = "*";

export const distributionPixelCors: StackValidationPolicy = {
  name: "distribution-pixel-cors",
  description:
    "Every cache behaviour of the distribution has a response headers policy that answers CORS: one " +
    "declared in the stack with a corsConfig naming allowed origins, or an AWS managed CORS policy " +
    "(SimpleCORS and its siblings). No response headers policy combines the wildcard origin * with " +
    "credentials, which CloudFront and browsers refuse.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const g = new CollectorGraph(args.resources);
    const policies = g.ofType(RESPONSE_HEADERS_POLICY);

    for (const p of policies) {
      const cors = obj(p.props.corsConfig);
      if (!cors) continue;
      const origins = obj(cors.accessControlAllowOrigins)?.items;
      const credentials = cors.accessControlAllowCredentials;
      if (isUnknown(origins) || isUnknown(credentials)) {
        reportViolation(
          `${label(p)}: its CORS origins or credentials are unknown at preview, so the pack cannot check ` +
            `them. Declare corsConfig from plain values.`,
          p.urn,
        );
      } else if (credentials === true && arr(origins).includes(ANY_ORIGIN)) {
        reportViolation(
          `${label(p)} allows credentials with the wildcard origin "*": CloudFront refuses it and ` +
            `browsers would too. Use "*" without credentials (tracker credentials "omit"), or list ` +
            `the site origins.`,
          p.urn,
        );
      }
    }

    for (const d of g.distributions) {
      for (const { where, behavior, prop } of behaviors(d)) {
        const id = behavior?.responseHeadersPolicyId;
        const declared = policies.filter((p) => refersTo(d.resource, prop, id, p));
        const managed = str(id) === undefined ? undefined : MANAGED_CORS_POLICIES[str(id) as string];
        if (managed !== undefined) continue;
        if (declared.length === 0) {
          reportViolation(
            `${label(d)}: ${where} has ${
              id === undefined || id === null
                ? "no response headers policy"
                : `responseHeadersPolicyId ${show(id)}`
            }, which is neither a CORS policy of this stack nor an AWS managed CORS policy. Tracker ` +
              `4.x reads the pixel with fetch(): without Access-Control-Allow-Origin the browser ` +
              `fails each logged request and the tracker resends it. Attach the component's CORS ` +
              `policy (collector/edge/cors.ts) or Managed-SimpleCORS.`,
            d.urn,
          );
          continue;
        }
        for (const p of declared) {
          const origins = obj(obj(p.props.corsConfig)?.accessControlAllowOrigins)?.items;
          if (!isUnknown(origins) && arr(origins).length === 0) {
            reportViolation(
              `${label(d)}: ${where} uses ${label(p)}, which has no corsConfig with allowed origins, ` +
                `so the pixel's answer carries no Access-Control-Allow-Origin.`,
              d.urn,
            );
          }
        }
      }
    }
  },
};

/** Whether `value`, held under the distribution's input `prop`, is the policy `p`'s id. */
function refersTo(from: PolicyResource, prop: string, value: Plain | undefined, p: Node): boolean {
  const deps = from.propertyDependencies[prop] as PolicyResource[] | undefined;
  if (deps?.includes(p.resource)) return true;
  const known = str(value);
  return known !== undefined && known === str(p.props.id);
}

function behaviors(d: Node): { where: string; prop: string; behavior: ReturnType<typeof obj> }[] {
  const ordered = arr(d.props.orderedCacheBehaviors).map((b, i) => ({
    where: `orderedCacheBehaviors[${i}] (${show(obj(b)?.pathPattern)})`,
    prop: "orderedCacheBehaviors",
    behavior: obj(b),
  }));
  return [
    {
      where: "defaultCacheBehavior",
      prop: "defaultCacheBehavior",
      behavior: obj(d.props.defaultCacheBehavior),
    },
    ...ordered,
  ];
}
