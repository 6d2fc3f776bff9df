/**
 * The collector component's typed arguments and the rules they must meet. The stack config
 * reader and the component both run `validateCollectorArgs`, so a program that reuses the
 * component gets the same clear errors as the CLI user editing a stack file.
 */
import { recordFieldsProblem } from "../eventLogs/logFields";

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

export const VIEWER_PROTOCOL_POLICIES = ["allow-all", "redirect-to-https", "https-only"] as const;
export type ViewerProtocolPolicy = (typeof VIEWER_PROTOCOL_POLICIES)[number];

/** How CloudFront writes access logs: legacy standard logging, or standard logging v2. */
export const LOGGING_MODES = ["legacy", "v2"] as const;
export type LoggingMode = (typeof LOGGING_MODES)[number];

/**
 * v2 output formats the collector writes. Both carry the field names in every file (W3C's
 * `#Fields` header, JSON's keys), so the reader keys each record by name. Left out: `plain` and
 * `raw` (no field names: a list change would shift columns silently), and `parquet` (a CloudWatch
 * conversion charge per GB, and the reader would need a Parquet library).
 */
export const LOG_OUTPUT_FORMATS = ["json", "w3c"] as const;
export type LogOutputFormat = (typeof LOG_OUTPUT_FORMATS)[number];

/** Why each format AWS offers but the collector does not is refused. */
export const REFUSED_OUTPUT_FORMATS: Readonly<Record<string, string>> = {
  parquet:
    "parquet is refused: CloudWatch charges for the Parquet conversion of every GB, and `npm run logs` " +
    "reads W3C and JSON only",
  plain: "plain is refused: its files carry no field names, so a change of fields would shift columns",
  raw: "raw is refused: its files carry no field names, so a change of fields would shift columns",
};

/**
 * Serving the pixel on your own host name. Exactly one of `hostedZoneId` and `certificateArn`:
 * with a Route 53 zone the stack requests and validates the certificate and writes the alias
 * records itself; with a certificate ARN the DNS is kept elsewhere and the deployer writes the
 * records (the stack output `customDomainDns` lists them).
 */
export interface CustomDomain {
  /** The host name trackers send events to, e.g. c.example.com. */
  domain: string;
  /** The Route 53 public hosted zone that holds `domain`, e.g. Z0123456789ABCDEFGHIJ. */
  hostedZoneId?: string;
  /** An ACM certificate for `domain`, issued in us-east-1 (CloudFront reads certificates only there). */
  certificateArn?: string;
}

/** Athena over the logs: a Glue table, a workgroup and its query results. */
export interface AnalyticsArgs {
  /** Athena cancels a query once it has scanned this many MiB (Athena counts MB as 2^20 bytes). */
  queryScanCutoffMb: number;
  /** Days a query result stays in the results bucket before it expires. */
  queryResultRetentionDays: number;
}

/** Athena refuses a per-query cutoff below 10 MB (10,485,760 bytes). */
export const MIN_QUERY_SCAN_CUTOFF_MB = 10;
/** 1 TiB: a query that may scan more costs over $5 and is no everyday query. */
export const MAX_QUERY_SCAN_CUTOFF_MB = 1024 * 1024;
export const MAX_QUERY_RESULT_RETENTION_DAYS = 365;

export interface CollectorArgs {
  /** Whether CloudFront writes access logs. Off only for a dev "/dev/null" pixel. */
  loggingEnabled: boolean;
  /** Key prefix of the log files in the log bucket, e.g. "cloudfront/prod/". */
  logPrefix: string;
  /** legacy: the distribution's loggingConfig (always logs the IP); v2: a CloudWatch Logs delivery. */
  loggingMode?: LoggingMode;
  /** v2 only: the fields delivered, in order (see collector/eventLogs/logFields.ts). */
  recordFields?: readonly string[];
  /** v2 only: the format of the delivered files. */
  logOutputFormat?: LogOutputFormat;
  /**
   * v2 with analytics only: the key prefix the Athena table reads the partitions under, when the
   * files land elsewhere than `logPrefix` (AWS inserting `AWSLogs/<account>/CloudFront/`); default
   * `logPrefix`. `npm run verify -- --logs` says when and what to set.
   */
  logTablePrefix?: string;
  /**
   * v2 only: the log bucket was created in legacy mode and still carries CloudFront's ACL grant;
   * the up resets the ACL to owner-only before disabling ACLs (collector/eventLogs/logBucket.ts).
   * Keep it on once set: dropping it deletes that BucketAcl resource, which protection refuses.
   */
  migrateLegacyLogBucket?: boolean;
  /** Days a log file is kept before it expires (storage limitation). */
  retentionDays: number;
  /** Days a replaced or deleted log file version is kept before it is removed for good. */
  noncurrentVersionRetentionDays: number;
  /** CloudFront price class: which edge locations serve the pixel. */
  priceClass: PriceClass;
  /** How the edge answers plain HTTP. */
  viewerProtocolPolicy: ViewerProtocolPolicy;
  /** Keep the log bucket out of reach of `pulumi destroy`: protect, retainOnDelete, no forceDestroy. */
  protectLogBucket: boolean;
  /** Serve the pixel on your own host name instead of the CloudFront domain. */
  customDomain?: CustomDomain;
  /**
   * Sites whose pages may send events, answered with CORS headers: `["*"]` (the default) for any
   * site without credentials, or site origins such as `https://www.example.com`, echoed back with
   * `Access-Control-Allow-Credentials: true`.
   */
  corsAllowedOrigins?: string[];
  /** Athena and Glue over the logs; undefined leaves them out. Needs logging on. */
  analytics?: AnalyticsArgs;
  /** Tags added to every taggable resource of the collector. */
  tags?: Record<string, string>;
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/;
const ACM_US_EAST_1_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
// Route 53 hosted zone ids: "Z" and upper-case letters and digits, at most 32 characters in all.
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
// A web origin: scheme, lower-case host, optional port; no path, no trailing slash, no wildcard.
const ORIGIN =
  /^https?:\/\/(localhost|\d{1,3}(\.\d{1,3}){3}|(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63})(:\d{1,5})?$/;
const LOG_PREFIX = /^[A-Za-z0-9!_.*'()\-/]{1,200}$/;

/** One problem with one argument: the key, the value (undefined: not set), and what is allowed. */
export interface ArgProblem {
  key: string;
  value: unknown;
  allowed: string;
  /** The whole message, where "<value> is not allowed; expected ..." would mislead (an unknown key). */
  problem?: string;
  /**
   * Keys whose value this rule reads: when one of them could not be parsed, this problem follows
   * from that one and is not reported on its own.
   */
  dependsOn?: readonly string[];
}

/** Every problem with `args`, keyed by the argument name (the config key shares it). */
export function collectorArgProblems(args: CollectorArgs): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const check = (ok: boolean, key: string, value: unknown, allowed: string, dependsOn?: string[]) => {
    if (!ok) problems.push({ key, value, allowed, ...(dependsOn ? { dependsOn } : {}) });
  };
  const positiveInteger = (key: string, value: number, max: number) =>
    check(
      Number.isInteger(value) && value > 0 && value <= max,
      key,
      value,
      `a whole number of days from 1 to ${max}`,
    );

  check(typeof args.loggingEnabled === "boolean", "loggingEnabled", args.loggingEnabled, "true or false");
  // Not empty: the log files stay apart from anything else in the bucket, and a v2 log delivery
  // needs an explicit prefix (without one CloudFront adds AWSLogs/<account>/ on create only).
  check(
    typeof args.logPrefix === "string" &&
      LOG_PREFIX.test(args.logPrefix) &&
      !args.logPrefix.startsWith("/") &&
      args.logPrefix.endsWith("/"),
    "logPrefix",
    args.logPrefix,
    'a non-empty key prefix ending in "/", not starting with "/", of letters, digits and ' +
      "!_.*'()-/ (at most 200), e.g. cloudfront/prod/",
  );
  const mode = args.loggingMode ?? "legacy";
  check(
    (LOGGING_MODES as readonly string[]).includes(mode),
    "loggingMode",
    args.loggingMode,
    `one of ${LOGGING_MODES.join(", ")}`,
  );
  if (mode === "v2") {
    check(
      args.logPrefix !== "",
      "logPrefix",
      args.logPrefix,
      "a non-empty prefix in v2 mode: without one CloudFront adds AWSLogs/<account>/CloudFront/ on create " +
        "and drops it on update",
    );
    const fieldsProblem = Array.isArray(args.recordFields)
      ? recordFieldsProblem(args.recordFields)
      : "a list of CloudFront field names in v2 mode";
    check(fieldsProblem === undefined, "recordFields", args.recordFields, fieldsProblem ?? "");
    const format = String(args.logOutputFormat);
    check(
      (LOG_OUTPUT_FORMATS as readonly string[]).includes(format),
      "logOutputFormat",
      args.logOutputFormat,
      `one of ${LOG_OUTPUT_FORMATS.join(", ")}${REFUSED_OUTPUT_FORMATS[format] ? ` (${REFUSED_OUTPUT_FORMATS[format]})` : ""}`,
    );
  }
  if (args.migrateLegacyLogBucket !== undefined) {
    check(
      typeof args.migrateLegacyLogBucket === "boolean",
      "migrateLegacyLogBucket",
      args.migrateLegacyLogBucket,
      "true or false",
    );
    check(
      args.migrateLegacyLogBucket !== true || mode === "v2",
      "migrateLegacyLogBucket",
      args.migrateLegacyLogBucket,
      `false while loggingMode is ${mode}: it only applies to a switch to v2 (it disables ACLs on a log ` +
        "bucket that legacy mode created)",
    );
  }
  if (args.logTablePrefix !== undefined) {
    check(
      typeof args.logTablePrefix === "string" &&
        LOG_PREFIX.test(args.logTablePrefix) &&
        !args.logTablePrefix.startsWith("/") &&
        args.logTablePrefix.endsWith("/"),
      "logTablePrefix",
      args.logTablePrefix,
      'empty, or a key prefix ending in "/", not starting with "/", of letters, digits and ' +
        "!_.*'()-/ (at most 200), e.g. cloudfront/prod/AWSLogs/111122223333/CloudFront/",
    );
    check(
      mode === "v2" && args.analytics !== undefined,
      "logTablePrefix",
      args.logTablePrefix,
      "empty unless loggingMode is v2 and analyticsEnabled is true: only the v2 table reads a " +
        "partition path, and without analytics there is no table",
    );
  }
  positiveInteger("retentionDays", args.retentionDays, 36500);
  positiveInteger("noncurrentVersionRetentionDays", args.noncurrentVersionRetentionDays, 36500);
  check(
    (PRICE_CLASSES as readonly string[]).includes(args.priceClass),
    "priceClass",
    args.priceClass,
    `one of ${PRICE_CLASSES.join(", ")}`,
  );
  check(
    (VIEWER_PROTOCOL_POLICIES as readonly string[]).includes(args.viewerProtocolPolicy),
    "viewerProtocolPolicy",
    args.viewerProtocolPolicy,
    `one of ${VIEWER_PROTOCOL_POLICIES.join(", ")}`,
  );
  check(
    typeof args.protectLogBucket === "boolean",
    "protectLogBucket",
    args.protectLogBucket,
    "true or false",
  );
  if (args.corsAllowedOrigins !== undefined) {
    const problem = corsOriginsProblem(args.corsAllowedOrigins);
    if (problem)
      problems.push({ key: "corsAllowedOrigins", value: args.corsAllowedOrigins, allowed: problem });
  }
  if (args.analytics !== undefined) {
    const { queryScanCutoffMb, queryResultRetentionDays } = args.analytics;
    check(
      args.loggingEnabled === true,
      "analyticsEnabled",
      true,
      "false while loggingEnabled is false: without logs there is nothing to query",
      ["loggingEnabled"],
    );
    check(
      Number.isInteger(queryScanCutoffMb) &&
        queryScanCutoffMb >= MIN_QUERY_SCAN_CUTOFF_MB &&
        queryScanCutoffMb <= MAX_QUERY_SCAN_CUTOFF_MB,
      "queryScanCutoffMb",
      queryScanCutoffMb,
      `a whole number of MB from ${MIN_QUERY_SCAN_CUTOFF_MB} (Athena's minimum) to ${MAX_QUERY_SCAN_CUTOFF_MB} (1 TB)`,
    );
    positiveInteger("queryResultRetentionDays", queryResultRetentionDays, MAX_QUERY_RESULT_RETENTION_DAYS);
  }
  problems.push(...customDomainProblems(args.customDomain));
  return problems;
}

/**
 * What is wrong with the custom domain settings. hostedZoneId and certificateArn exclude each
 * other rather than rank: with a zone the stack owns the certificate (and renews it through the
 * validation record it keeps), so a certificate ARN beside it would be a second, unused truth.
 */
function customDomainProblems(custom: CustomDomain | undefined): ArgProblem[] {
  const domain = custom?.domain ?? "";
  const zone = custom?.hostedZoneId ?? "";
  const arn = custom?.certificateArn ?? "";
  const problems: ArgProblem[] = [];
  const check = (ok: boolean, key: string, value: unknown, allowed: string) => {
    if (!ok) problems.push({ key, value, allowed });
  };
  if (domain === "") {
    const given = [zone !== "" ? "hostedZoneId" : "", arn !== "" ? "certificateArn" : ""].filter(Boolean);
    check(
      given.length === 0,
      "customDomain",
      undefined,
      `a value too, because ${given.join(" and ")} ${given.length > 1 ? "are" : "is"} set: they serve ` +
        "customDomain (a host name such as c.example.com); set customDomain, or leave both empty",
    );
    return problems;
  }
  check(HOSTNAME.test(domain), "customDomain", domain, "a lower-case DNS host name such as c.example.com");
  if (zone === "" && arn === "") {
    problems.push({
      key: "hostedZoneId",
      value: undefined,
      allowed:
        "a value, because customDomain is set: the id of the Route 53 hosted zone that holds it (the " +
        "stack then makes the certificate and the DNS records); or set certificateArn instead, for a " +
        "certificate you made in us-east-1 with the DNS kept elsewhere",
    });
  } else if (zone !== "" && arn !== "") {
    problems.push({
      key: "certificateArn",
      value: arn,
      allowed:
        "empty while hostedZoneId is set: with a hosted zone the stack requests and validates its own " +
        "certificate; certificateArn is for DNS kept elsewhere. Set one of the two",
    });
  } else if (zone !== "") {
    check(
      HOSTED_ZONE_ID.test(zone),
      "hostedZoneId",
      zone,
      'a Route 53 hosted zone id: "Z" then upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ ' +
        "(without the /hostedzone/ prefix)",
    );
  } else {
    check(
      ACM_US_EAST_1_ARN.test(arn),
      "certificateArn",
      arn,
      "an ACM certificate ARN in us-east-1, arn:aws:acm:us-east-1:<12-digit account>:certificate/<uuid>",
    );
  }
  return problems;
}

const CORS_ORIGINS_ALLOWED =
  '["*"] (any site, no credentials), or a list of site origins such as "https://www.example.com" ' +
  "(scheme, lower-case host, optional port; no path, trailing slash or wildcard)";

/** What is wrong with a list of allowed CORS origins, or undefined when it is fine. */
function corsOriginsProblem(origins: unknown): string | undefined {
  if (!Array.isArray(origins) || origins.length === 0) {
    return CORS_ORIGINS_ALLOWED;
  }
  if (origins.length === 1 && origins[0] === "*") return undefined;
  if (origins.includes("*")) {
    return (
      '["*"] alone, or site origins without "*": a list of origins allows credentials, and CloudFront ' +
      "refuses a wildcard origin together with credentials (so does every browser)"
    );
  }
  const bad = origins.filter((o) => typeof o !== "string" || !ORIGIN.test(o));
  if (bad.length > 0)
    return `${CORS_ORIGINS_ALLOWED}; not allowed: ${bad.map((o) => JSON.stringify(o)).join(", ")}`;
  if (new Set(origins).size !== origins.length) return `${CORS_ORIGINS_ALLOWED}, each once`;
  return undefined;
}

/** Renders problems as the lines of one error message. */
export function describeProblems(problems: readonly ArgProblem[], keyPrefix = ""): string {
  return problems
    .map((p) => {
      const what = p.value === undefined ? "not set" : `${JSON.stringify(p.value)} is not allowed`;
      return `  ${keyPrefix}${p.key}: ${p.problem ?? `${what}; expected ${p.allowed}`}`;
    })
    .join("\n");
}

/** Throws one error listing every problem with `args`; returns them unchanged when valid. */
export function validateCollectorArgs(args: CollectorArgs): CollectorArgs {
  const problems = collectorArgProblems(args);
  if (problems.length > 0) {
    throw new Error(`Invalid collector arguments:\n${describeProblems(problems)}`);
  }
  return args;
}
