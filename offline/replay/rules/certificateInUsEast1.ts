import { Rule } from "../rule";
import { TYPES } from "../types";
import {
  arnRegion,
  CLOUDFRONT_CERTIFICATE_REGION,
  stackCertificateOf,
  viewerCertificateOf,
} from "./certificates";

/** CloudFront takes ACM certificates from us-east-1 only, whatever the Region of the rest. */
export const certificateInUsEast1: Rule = {
  id: "cloudfront-certificate-us-east-1",
  source:
    'CloudFront API Reference, ViewerCertificate (ACMCertificateArn: "CloudFront only supports ACM ' +
    'certificates in the US East (N. Virginia) Region (us-east-1)"); milliHQ/terraform-aws-next-js #61',
  types: [TYPES.distribution],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const arn = viewerCertificateOf(resource).acmCertificateArn;
    const certificate = stackCertificateOf(resource, account, refs);
    const region = certificate?.state?.region ?? arnRegion(arn);
    if (region === undefined || region === CLOUDFRONT_CERTIFICATE_REGION) return undefined;
    return {
      code: "InvalidViewerCertificate",
      message:
        "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't " +
        `include a valid certificate chain (the certificate is in ${region})`,
    };
  },
};
