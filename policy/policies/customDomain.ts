// Policies on a distribution served under its own host names (aliases): the certificate CloudFront
// is given, and the TLS it speaks.
import * as tls from "tls";

import type { StackValidationPolicy } from "@pulumi/policy";

import { ACM_CERTIFICATE, ACM_CERTIFICATE_VALIDATION, CLOUDFRONT_CERTIFICATE_REGION } from "../awsTypes";
import { CollectorGraph, Node, label } from "../collectorGraph";
import { knobs } from "../knobs";
import { Plain, arr, isUnknown, obj, show, str } from "../values";

/**
 * Whether a certificate naming `names` is valid for `host`, by Node's own TLS rules (RFC 6125,
 * what `npm run verify` meets on the live domain): `*.example.com` covers one label, so
 * `events.example.com` but neither `example.com` nor `a.events.example.com`.
 */
export function namesCover(names: readonly string[], host: string): boolean {
  const subjectaltname = names.map((n) => `DNS:${n}`).join(", ");
  const certificate = { subject: {}, subjectaltname } as unknown as tls.PeerCertificate;
  return names.length > 0 && tls.checkServerIdentity(host, certificate) === undefined;
}

/** The distribution's alternate domain names; UNKNOWN when the list is not known at preview. */
function aliasesOf(d: Node): string[] | "unknown" {
  const aliases = d.props.aliases;
  if (isUnknown(aliases) || arr(aliases).some((a) => isUnknown(a))) {
    return "unknown";
  }
  return arr(aliases).filter((a): a is string => typeof a === "string");
}

/** Resources of `tokens` that input `prop` of `from` was built from, or names by a known ARN. */
function sourcesOf(
  g: CollectorGraph,
  from: Node,
  prop: string,
  value: Plain | undefined,
  tokens: readonly string[],
) {
  const deps = from.resource.propertyDependencies[prop] ?? [];
  const known = str(value);
  return g
    .ofType(tokens)
    .filter(
      (n) =>
        deps.includes(n.resource) ||
        (known !== undefined && (str(n.props.arn) === known || str(n.props.certificateArn) === known)),
    );
}

function regionText(region: string | symbol | undefined): string {
  return region === undefined ? "no region" : typeof region === "symbol" ? "an unknown region" : region;
}

export const customDomainCertificate: StackValidationPolicy = {
  name: "custom-domain-certificate",
  description:
    "A distribution with aliases (alternate domain names) is given an ACM certificate in us-east-1, the " +
    "only Region CloudFront reads certificates from. A certificate the stack requests must name every " +
    "alias (a wildcard covers one label) and the distribution must wait for its CertificateValidation, " +
    "as CloudFront refuses an alias without an issued certificate covering it. A certificate ARN given " +
    "by hand is checked for its Region only (`npm run verify` checks the names on the live domain), " +
    "unless requireStackCertificate (default false) asks for a certificate of this stack.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireStackCertificate: { type: "boolean", default: false },
    },
  },
  validateStack: (args, reportViolation) => {
    const { requireStackCertificate } = knobs(args, { requireStackCertificate: false });
    const g = new CollectorGraph(args.resources);
    for (const d of g.distributions) {
      const aliases = aliasesOf(d);
      if (aliases === "unknown") {
        reportViolation(
          `${label(d)}: its aliases are unknown at preview, so the pack cannot check their certificate. ` +
            `Declare aliases from configuration, not from another resource's output.`,
          d.urn,
        );
        continue;
      }
      if (aliases.length === 0) {
        continue;
      }
      const viewer = obj(d.props.viewerCertificate);
      const arn = viewer?.acmCertificateArn;
      if (viewer === undefined || arn === undefined || arn === null || arn === "") {
        reportViolation(
          `${label(d)} serves ${aliases.join(", ")} without an ACM certificate (viewerCertificate ` +
            `${show(d.props.viewerCertificate)}); CloudFront refuses an alias without a certificate covering ` +
            `it. Set viewerCertificate.acmCertificateArn to a certificate in ${CLOUDFRONT_CERTIFICATE_REGION}.`,
          d.urn,
        );
        continue;
      }
      const validations = sourcesOf(g, d, "viewerCertificate", arn, ACM_CERTIFICATE_VALIDATION);
      const direct = sourcesOf(g, d, "viewerCertificate", arn, ACM_CERTIFICATE);
      const certificates = [
        ...new Set([
          ...direct,
          ...validations.flatMap((v) =>
            sourcesOf(g, v, "certificateArn", v.props.certificateArn, ACM_CERTIFICATE),
          ),
        ]),
      ];
      if (certificates.length === 0) {
        checkGivenArn(d, arn, requireStackCertificate, reportViolation);
        continue;
      }
      for (const certificate of certificates) {
        const region = g.regionOf(certificate);
        if (region !== CLOUDFRONT_CERTIFICATE_REGION) {
          reportViolation(
            `${label(certificate)}, the certificate of ${label(d)}, is in ${regionText(region)}; CloudFront ` +
              `reads ACM certificates only in ${CLOUDFRONT_CERTIFICATE_REGION}. Set its region input to ` +
              `"${CLOUDFRONT_CERTIFICATE_REGION}".`,
            certificate.urn,
          );
        }
        const names: Plain[] = [
          certificate.props.domainName ?? null,
          ...arr(certificate.props.subjectAlternativeNames),
        ];
        if (names.some((n) => isUnknown(n))) {
          reportViolation(
            `${label(certificate)}: its names are unknown at preview, so the pack cannot check that they ` +
              `cover ${aliases.join(", ")}. Declare domainName and subjectAlternativeNames from configuration.`,
            certificate.urn,
          );
        } else {
          const known = names.filter((n): n is string => typeof n === "string");
          for (const alias of aliases.filter((a) => !namesCover(known, a))) {
            reportViolation(
              `${label(d)} serves ${alias}, which ${label(certificate)} (${known.join(", ") || "no names"}) ` +
                `does not cover; CloudFront refuses the alias. Request the certificate for ${alias}.`,
              d.urn,
            );
          }
        }
        const waitsFor = validations.filter((v) =>
          sourcesOf(g, v, "certificateArn", v.props.certificateArn, ACM_CERTIFICATE).includes(certificate),
        );
        const alsoWaits = g
          .ofType(ACM_CERTIFICATE_VALIDATION)
          .filter(
            (v) =>
              d.resource.dependencies.includes(v.resource) &&
              sourcesOf(g, v, "certificateArn", v.props.certificateArn, ACM_CERTIFICATE).includes(
                certificate,
              ),
          );
        if (waitsFor.length === 0 && alsoWaits.length === 0) {
          reportViolation(
            `${label(d)} takes ${label(certificate)} without waiting for a CertificateValidation of it: ` +
              `on a first deploy the certificate is still PENDING_VALIDATION and CloudFront refuses the ` +
              `alias. Set acmCertificateArn from the CertificateValidation's certificateArn output.`,
            d.urn,
          );
        }
        for (const v of new Set([...waitsFor, ...alsoWaits])) {
          const vRegion = g.regionOf(v);
          if (vRegion !== CLOUDFRONT_CERTIFICATE_REGION) {
            reportViolation(
              `${label(v)} is in ${regionText(vRegion)}, but the certificate it waits for must be in ` +
                `${CLOUDFRONT_CERTIFICATE_REGION}: ACM answers for a certificate only in its own Region. Set ` +
                `its region input to "${CLOUDFRONT_CERTIFICATE_REGION}".`,
              v.urn,
            );
          }
        }
      }
    }
  },
};

/** A certificate ARN that traces to no certificate of this stack: made by hand, or unknown. */
function checkGivenArn(
  d: Node,
  arn: Plain,
  requireStackCertificate: boolean,
  reportViolation: (message: string, urn?: string) => void,
): void {
  const known = str(arn);
  if (known === undefined) {
    reportViolation(
      `${label(d)}: its acmCertificateArn is unknown at preview and traces to no ACM certificate of this ` +
        `stack, so the pack cannot check it. Take it from a CertificateValidation, or give the ARN.`,
      d.urn,
    );
    return;
  }
  const region = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\//.exec(known)?.[1];
  if (region !== CLOUDFRONT_CERTIFICATE_REGION) {
    reportViolation(
      `${label(d)} is given the certificate ${known}, ${region ? `in ${region}` : "not an ACM certificate ARN"}; ` +
        `CloudFront reads ACM certificates only in ${CLOUDFRONT_CERTIFICATE_REGION}.`,
      d.urn,
    );
  } else if (requireStackCertificate) {
    reportViolation(
      `${label(d)} is given the certificate ${known}, which this stack does not declare, so its names ` +
        `cannot be checked (requireStackCertificate). Give a Route 53 zone so the stack requests it.`,
      d.urn,
    );
  }
}

/**
 * CloudFront's security policies for a custom certificate, weakest first (CloudFront developer
 * guide, "Supported protocols and ciphers between viewers and CloudFront").
 */
export const SECURITY_POLICIES = [
  "SSLv3",
  "TLSv1",
  "TLSv1_2016",
  "TLSv1.1_2016",
  "TLSv1.2_2018",
  "TLSv1.2_2019",
  "TLSv1.2_2021",
  "TLSv1.2_2025",
  "TLSv1.3_2025",
] as const;
const TLS12_POLICIES = SECURITY_POLICIES.slice(SECURITY_POLICIES.indexOf("TLSv1.2_2018"));

export const customDomainTls: StackValidationPolicy = {
  name: "custom-domain-tls",
  description:
    "A distribution with its own certificate (aliases or an ACM certificate) sets minimumProtocolVersion to " +
    "a TLS 1.2 or newer security policy, at least minimumProtocolVersion (default TLSv1.2_2018, the " +
    "weakest TLS 1.2 policy). Without it CloudFront would accept TLS 1.0 from viewers.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumProtocolVersion: { type: "string", enum: [...TLS12_POLICIES], default: "TLSv1.2_2018" },
    },
  },
  validateStack: (args, reportViolation) => {
    const { minimumProtocolVersion } = knobs(args, { minimumProtocolVersion: "TLSv1.2_2018" });
    const floor = SECURITY_POLICIES.indexOf(minimumProtocolVersion as (typeof SECURITY_POLICIES)[number]);
    const g = new CollectorGraph(args.resources);
    for (const d of g.distributions) {
      const aliases = aliasesOf(d);
      const viewer = obj(d.props.viewerCertificate);
      const ownCertificate =
        aliases === "unknown" ||
        aliases.length > 0 ||
        [viewer?.acmCertificateArn, viewer?.iamCertificateId].some(
          (v) => v !== undefined && v !== null && v !== "",
        );
      if (!ownCertificate) {
        continue;
      }
      const version = viewer?.minimumProtocolVersion;
      const index = SECURITY_POLICIES.indexOf(str(version) as (typeof SECURITY_POLICIES)[number]);
      if (index < 0 || index < floor) {
        reportViolation(
          `${label(d)} sets viewerCertificate.minimumProtocolVersion ${show(version)}; expected ` +
            `${SECURITY_POLICIES.slice(Math.max(floor, 0)).join(", ")} (TLS 1.2 or newer).`,
          d.urn,
        );
      }
    }
  },
};
