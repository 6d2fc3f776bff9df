import { Rule } from "../rule";
import { TYPES } from "../types";
import { namesCover, stackCertificateOf, viewerCertificateOf } from "./certificates";

/**
 * An alternate domain name needs an attached certificate that is valid (ISSUED) and covers it.
 * A certificate the stack requests is PENDING_VALIDATION until its CertificateValidation has
 * run, so a distribution that does not wait for the validation is refused on a first deploy.
 */
export const aliasNeedsValidCertificate: Rule = {
  id: "cloudfront-alias-needs-valid-certificate",
  source:
    "CloudFront Developer Guide, CNAMEs (Requirements for using alternate domain names); " +
    "cloudposse/terraform-aws-cloudfront-s3-cdn #72, hashicorp/terraform-provider-aws #13828",
  types: [TYPES.distribution],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const aliases = Array.isArray(resource.inputs.aliases)
      ? resource.inputs.aliases.filter((a): a is string => typeof a === "string")
      : [];
    if (aliases.length === 0) return undefined;
    const viewer = viewerCertificateOf(resource);
    if (viewer.acmCertificateArn === undefined || viewer.acmCertificateArn === "") {
      return {
        code: "InvalidViewerCertificate",
        message:
          "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted " +
          "certificate that validates your authorization to use the domain name.",
      };
    }
    const certificate = stackCertificateOf(resource, account, refs);
    // A certificate ARN given as a value is the deployer's: the replay does not hold it.
    if (certificate === undefined) return undefined;
    const state = certificate.state;
    if (state === undefined || state.status !== "ISSUED") {
      return {
        code: "InvalidViewerCertificate",
        message:
          "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't " +
          `include a valid certificate chain (the certificate is ${state ? state.status : "not created yet"})`,
      };
    }
    const uncovered = aliases.filter((a) => !namesCover(state.names, a));
    if (uncovered.length === 0) return undefined;
    return {
      code: "InvalidViewerCertificate",
      message:
        "The certificate that is attached to your distribution doesn't cover the alternate domain name " +
        `(CNAME) that you're trying to add (${uncovered.join(", ")}; it names ${state.names.join(", ")})`,
    };
  },
};
