import { Rule } from "../rule";

/** The engine refuses to delete or replace a protected resource (it fails at preview already). */
export const protectedResource: Rule = {
  id: "pulumi-protected-resource",
  source: "Pulumi docs, Resource options: protect",
  types: ["*"],
  ops: ["delete", "replace"],
  check({ step }) {
    if (!step.prev?.protect) return undefined;
    return {
      code: "protected",
      message:
        `resource ${step.urn} cannot be ${step.op === "delete" ? "deleted" : "replaced"} ` +
        "because it is protected; unprotect it first (`pulumi state unprotect`, or protect: false and an up)",
    };
  },
};
