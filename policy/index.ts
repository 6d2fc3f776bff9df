import { PolicyPack } from "@pulumi/policy";

import { policies } from "./policies/all";

new PolicyPack("cloudfront-collector", {
  description:
    "Guardrails for the cloudfront-collector program: a CloudFront pixel whose standard logs are the events.",
  provider: "aws",
  policies,
});
