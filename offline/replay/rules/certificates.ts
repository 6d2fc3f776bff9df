/** Where a distribution's ACM certificate is, for the CloudFront certificate rules. */
import * as tls from "tls";
import { RecordedResource } from "../../mockRun";
import { Account, CertificateState } from "../account";
import { References } from "../references";
import { TYPES } from "../types";

/** CloudFront reads ACM certificates in this Region only. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface ViewerCertificate {
  acmCertificateArn?: unknown;
  cloudfrontDefaultCertificate?: unknown;
}

export function viewerCertificateOf(distribution: RecordedResource): ViewerCertificate {
  return (distribution.inputs.viewerCertificate ?? {}) as ViewerCertificate;
}

/**
 * The certificate of the stack the distribution's acmCertificateArn comes from, straight or
 * through a CertificateValidation (whose certificateArn echoes its input): its URN, and its state
 * in the account as the step finds it (undefined while not created yet).
 */
export function stackCertificateOf(
  distribution: RecordedResource,
  account: Account,
  refs: References,
): { urn: string; state?: CertificateState } | undefined {
  const direct = refs.to(distribution, "viewerCertificate", TYPES.certificate);
  const validation = refs.to(distribution, "viewerCertificate", TYPES.certificateValidation);
  const urn = direct ?? (validation === undefined ? undefined : account.certificateValidations[validation]);
  return urn === undefined ? undefined : { urn, state: account.certificates[urn] };
}

/** Whether a certificate naming `names` is valid for `host`, by Node's TLS rules (RFC 6125). */
export function namesCover(names: readonly string[], host: string): boolean {
  const subjectaltname = names.map((n) => `DNS:${n}`).join(", ");
  const certificate = { subject: {}, subjectaltname } as unknown as tls.PeerCertificate;
  return names.length > 0 && tls.checkServerIdentity(host, certificate) === undefined;
}

/** The Region in an ACM certificate ARN given as a value, e.g. a hand-made certificate's. */
export function arnRegion(arn: unknown): string | undefined {
  return typeof arn === "string" ? /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(arn)?.[1] : undefined;
}
