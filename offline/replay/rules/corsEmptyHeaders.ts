import { Rule } from "../rule";
import { TYPES } from "../types";

/** The allow-headers list is required with at least one item; the provider drops an empty one. */
export const corsEmptyHeaders: Rule = {
  id: "cloudfront-cors-empty-allow-headers",
  source:
    "terraform-provider-aws #30440; awsdocs/aws-cloudformation-user-guide #1179 " +
    "(AccessControlAllowHeaders cannot be an empty list)",
  types: [TYPES.responseHeadersPolicy],
  ops: ["create", "update", "replace"],
  check({ resource }) {
    const cors = resource.inputs.corsConfig as
      { accessControlAllowHeaders?: { items?: string[] } } | undefined;
    if (!cors) return undefined;
    const items = cors.accessControlAllowHeaders?.items ?? [];
    if (items.length > 0 && items.every((h) => h.trim() !== "")) return undefined;
    return {
      code: "InvalidArgument",
      message: "AccessControlAllowHeaders must hold at least one non-empty header name",
    };
  },
};
