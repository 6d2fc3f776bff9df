/**
 * `npm run verify -- --stack prod [--logs]`: checks a deployed collector from the outside. Checks
 * that the certificate served on the collector's host name names it, GETs the pixel over HTTPS and HTTP and compares each answer with the viewer protocol policy, sends
 * one tagged test event, and with --logs waits until that event appears in the access logs.
 */
import { VIEWER_PROTOCOL_POLICIES, ViewerProtocolPolicy } from "../collector/config/args";
import { pixelBytes } from "../collector/edge/pixel";
import { PIXEL_PATH } from "../collector/edge/trackerConfig";
import { LOGGING_MODES, LoggingMode } from "../collector/config/args";
import { checkFirstFile } from "../logs/firstLogFile";
import { findLandedBases, layoutFix, MAX_KEYS_LISTED, tableBaseOf } from "../logs/landedLogs";
import { pollForEvent } from "../logs/logBucketPoller";
import { makeS3Client } from "../logs/s3Client";
import { isMissingCredentials, missingCredentials, requireCredentials } from "./awsCredentials";
import {
  CliError,
  EXIT_CHECK_FAILED,
  EXIT_OK,
  formatDuration,
  Output,
  ParsedArgs,
  parseCommandArgs,
  parseCount,
  parseDuration,
  runAsScript,
  stringOption,
  withCliErrors,
} from "./cli";
import { isIP, LookupFunction } from "net";
import { CertificateCheck, checkCertificate } from "./live/certificateCheck";
import { httpGetWithRetries, NetworkFailure, RetryOptions } from "./live/httpGet";
import { checkScheme, problemsWith, SchemeCheck } from "./live/pixelCheck";
import { checkCors, CorsCheck } from "./live/corsCheck";
import { makeOversizedProbe, sendOversizedProbe } from "./live/oversizedProbe";
import { DEFAULT_TEST_APP_ID, makeTestEvent } from "./live/testEvent";
import {
  loadStackOutputs,
  optionalString,
  requireBoolean,
  requireCorsAllowedOrigins,
  requireString,
  requireViewerProtocolPolicy,
  StackOutputs,
} from "./stackOutputs";
import { DEFAULT_CORS_ALLOWED_ORIGINS } from "../collector/edge/cors";
import { LOG_OUTPUT_FORMATS, LogOutputFormat } from "../collector/config/args";

const USAGE = `usage: npm run verify -- (--stack NAME | --outputs FILE | --url URL) [options]
  --viewer-protocol-policy P   with --url: ${VIEWER_PROTOCOL_POLICIES.join(" | ")} (default allow-all)
  --https-url URL, --http-url URL   check these pixel URLs instead of the ones derived from the domain
  --allowed-origins A,B        with --url: the CORS origins to expect (default *)
  --origin ORIGIN              the Origin header of the CORS check (default: an allowed site)
  --app-id ID                  aid of the test event (default ${DEFAULT_TEST_APP_ID})
  --request-timeout D          per request (default 10s); --retries N (default 2)
  --logs                       then wait for the test event in the log bucket
  --event-id ID                look in the logs for an earlier event instead of sending one
  --log-bucket B, --prefix P, --distribution-id ID, --region R   override the stack outputs
  --logging-mode M             legacy or v2: how the files are laid out (default: stack output loggingMode)
  --endpoint URL               an S3-compatible endpoint (path-style)
  --since TIME                 ISO time; log files older than this are skipped (default: now, or 24h ago with --event-id)
  --log-timeout D (default 60m), --poll-interval D (default 60s)`;

const OPTIONS = {
  stack: { type: "string" },
  outputs: { type: "string" },
  url: { type: "string" },
  "viewer-protocol-policy": { type: "string" },
  "https-url": { type: "string" },
  "http-url": { type: "string" },
  "allowed-origins": { type: "string" },
  origin: { type: "string" },
  "app-id": { type: "string" },
  "request-timeout": { type: "string" },
  retries: { type: "string" },
  logs: { type: "boolean" },
  "event-id": { type: "string" },
  "log-bucket": { type: "string" },
  prefix: { type: "string" },
  "logging-mode": { type: "string" },
  "distribution-id": { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  since: { type: "string" },
  "log-timeout": { type: "string" },
  "poll-interval": { type: "string" },
  help: { type: "boolean" },
} as const;

const LOG_DELIVERY_CANONICAL_USER = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";

/** What tests may swap: the expected pixel, a CA for loopback HTTPS, the wait between retries. */
export interface VerifyDeps {
  pixel?: Buffer;
  ca?: string;
  retryDelayMs?: number;
  pulumiCommand?: string;
  now?: () => Date;
  /** Name resolution: tests send a custom domain to a loopback edge. */
  lookup?: LookupFunction;
}

interface LiveTarget {
  httpsUrl: string;
  httpUrl: string;
  policy: ViewerProtocolPolicy;
  /** The CORS origins the stack admits; `note` says where they came from when not its outputs. */
  corsAllowedOrigins: readonly string[];
  note?: string;
}

function parsePolicy(value: string): ViewerProtocolPolicy {
  if (!VIEWER_PROTOCOL_POLICIES.includes(value as ViewerProtocolPolicy)) {
    throw new CliError(
      `--viewer-protocol-policy ${JSON.stringify(value)} is not allowed: use ${VIEWER_PROTOCOL_POLICIES.join(", ")}.`,
    );
  }
  return value as ViewerProtocolPolicy;
}

function parseUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new CliError(`--${option} ${JSON.stringify(value)} is not a URL or domain.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CliError(
      `--${option} ${JSON.stringify(value)} is not allowed: use an http:// or https:// URL.`,
    );
  }
  return url;
}

/**
 * The pixel URL for each scheme. A URL given with a scheme is used as it is for that scheme; the
 * other scheme goes to the same host, and to the same port when one was named: every request
 * goes where the user pointed (--https-url and --http-url say otherwise).
 */
export function pixelUrlsFor(base: URL): { https: string; http: string } {
  const pixel = new URL(PIXEL_PATH, base);
  const other = new URL(pixel.href);
  // Setting the protocol keeps an explicit port, but drops one that was the old scheme's default.
  other.protocol = pixel.protocol === "https:" ? "http:" : "https:";
  return pixel.protocol === "https:"
    ? { https: pixel.href, http: other.href }
    : { https: other.href, http: pixel.href };
}

function liveTarget(args: ParsedArgs, outputs: StackOutputs | undefined): LiveTarget {
  const policyOption = stringOption(args, "viewer-protocol-policy");
  let urls: { https: string; http: string };
  let policy: ViewerProtocolPolicy;
  if (outputs !== undefined) {
    urls = pixelUrlsFor(parseUrl("stack output pixelUrl", requireString(outputs, "pixelUrl")));
    policy = policyOption === undefined ? requireViewerProtocolPolicy(outputs) : parsePolicy(policyOption);
  } else {
    const url = stringOption(args, "url");
    if (url === undefined) {
      throw new CliError(
        "say what to check: --stack NAME, --outputs FILE or --url URL (or --event-id ID with --logs).",
      );
    }
    urls = pixelUrlsFor(parseUrl("url", url));
    policy = policyOption === undefined ? "allow-all" : parsePolicy(policyOption);
  }
  const httpsUrl = stringOption(args, "https-url");
  const httpUrl = stringOption(args, "http-url");
  const listed = stringOption(args, "allowed-origins");
  let corsAllowedOrigins: readonly string[] = DEFAULT_CORS_ALLOWED_ORIGINS;
  let note: string | undefined;
  if (listed !== undefined) {
    corsAllowedOrigins = listed.split(",").map((o) => o.trim());
    if (corsAllowedOrigins.length > 1 && corsAllowedOrigins.includes("*")) {
      throw new CliError(
        `--allowed-origins ${JSON.stringify(listed)} is not allowed: give * alone or site origins (a CORS ` +
          `policy never combines the wildcard with credentials).`,
      );
    }
  } else if (outputs?.values.corsAllowedOrigins !== undefined) {
    corsAllowedOrigins = requireCorsAllowedOrigins(outputs);
  } else if (outputs !== undefined) {
    note = `${outputs.source} has no corsAllowedOrigins output (a stack from before CORS): expecting the default *`;
  }
  return {
    httpsUrl: httpsUrl === undefined ? urls.https : parseUrl("https-url", httpsUrl).href,
    httpUrl: httpUrl === undefined ? urls.http : parseUrl("http-url", httpUrl).href,
    policy,
    corsAllowedOrigins,
    note,
  };
}

function printCors(check: CorsCheck, output: Output): void {
  output.out(
    `${check.ok ? "ok  " : "FAIL"} CORS  Origin ${check.origin}: ${
      check.ok ? check.expected : check.status === undefined ? "no answer" : "wrong answer"
    }`,
  );
  if (!check.ok) {
    output.out(`       expected ${check.expected}`);
    for (const problem of check.problems) output.out(`       ${problem}`);
    output.out(
      "       Without it, tracker 4.x fails each logged request in the page and resends it (see docs/tracker.md, CORS on the pixel).",
    );
  }
}

function printCertificate(check: CertificateCheck, output: Output): void {
  const what = check.ok
    ? `the certificate names it (${check.names.join(", ")}) and is trusted`
    : (check.problems[0] ?? "");
  output.out(`${check.ok ? "ok  " : "FAIL"} TLS   ${check.host}: ${what}`);
  for (const problem of check.problems.slice(1)) output.out(`       ${problem}`);
}

function printCheck(check: SchemeCheck, output: Output): void {
  const latency = check.latencyMs === undefined ? "" : ` in ${Math.round(check.latencyMs)} ms`;
  const status = check.status === undefined ? "no answer" : `${check.status}${latency}`;
  output.out(`${check.ok ? "ok  " : "FAIL"} ${check.scheme.toUpperCase().padEnd(5)} ${check.url}: ${status}`);
  if (!check.ok) {
    output.out(`       expected ${check.expected}`);
    for (const problem of check.problems) output.out(`       ${problem}`);
  }
}

interface LogTarget {
  bucket: string;
  prefix: string;
  mode: LoggingMode;
  region: string;
  distributionId?: string;
  endpoint?: string;
  /** What the stack declares for v2, from its outputs (unknown with --log-bucket alone). */
  declared: {
    recordFields?: readonly string[];
    outputFormat?: LogOutputFormat;
    /** Where the Athena table reads: analytics.tablePrefix, or the log prefix. */
    tablePrefix: string;
  };
}

/** The v2 facts the stack outputs carry, where they are there and well-formed. */
function declaredOf(outputs: StackOutputs | undefined, prefix: string): LogTarget["declared"] {
  const values = outputs?.values ?? {};
  const fields = values.logRecordFields;
  const format = values.logOutputFormat;
  const analytics = values.analytics as Record<string, unknown> | undefined | null;
  const tablePrefix = analytics?.tablePrefix;
  return {
    recordFields:
      Array.isArray(fields) && fields.every((f) => typeof f === "string") ? (fields as string[]) : undefined,
    outputFormat: (LOG_OUTPUT_FORMATS as readonly unknown[]).includes(format)
      ? (format as LogOutputFormat)
      : undefined,
    tablePrefix: typeof tablePrefix === "string" && tablePrefix !== "" ? tablePrefix : prefix,
  };
}

function logTarget(args: ParsedArgs, outputs: StackOutputs | undefined): LogTarget {
  let bucket = stringOption(args, "log-bucket");
  if (bucket === undefined) {
    if (outputs === undefined) {
      throw new CliError(
        "to read the logs, give --stack NAME or --outputs FILE, or --log-bucket NAME with --region.",
      );
    }
    if (!requireBoolean(outputs, "loggingEnabled")) {
      throw new CliError(
        `logging is switched off for ${outputs.source} (loggingEnabled: false): CloudFront writes no access ` +
          `logs, so no event can reach them. Switch logging on in the stack's config and run \`pulumi up\`.`,
      );
    }
    bucket = requireString(outputs, "logBucket");
  }
  const region =
    stringOption(args, "region") ?? (outputs && optionalString(outputs, "region")) ?? process.env.AWS_REGION;
  if (region === undefined)
    throw new CliError("no region for the log bucket: give --region (or set AWS_REGION).");
  const endpoint = stringOption(args, "endpoint");
  const prefix = stringOption(args, "prefix") ?? (outputs && optionalString(outputs, "logPrefix")) ?? "";
  return {
    bucket,
    prefix,
    declared: declaredOf(outputs, prefix),
    mode: loggingModeOf(
      stringOption(args, "logging-mode") ?? (outputs && optionalString(outputs, "loggingMode")) ?? "legacy",
    ),
    region,
    distributionId:
      stringOption(args, "distribution-id") ?? (outputs && optionalString(outputs, "distributionId")),
    endpoint: endpoint === undefined ? undefined : parseUrl("endpoint", endpoint).href,
  };
}

function loggingModeOf(value: string): LoggingMode {
  if ((LOGGING_MODES as readonly string[]).includes(value)) return value as LoggingMode;
  throw new CliError(`--logging-mode ${JSON.stringify(value)} is not one of ${LOGGING_MODES.join(", ")}.`);
}

function parseSince(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(
      `--since ${JSON.stringify(value)} is not a time: use ISO 8601, e.g. 2024-05-17T10:00:00Z.`,
    );
  }
  return date;
}

function timeoutAdvice(target: LogTarget, eventId: string): string[] {
  if (target.mode === "v2") {
    return [
      "Check, in this order:",
      "  - the distribution's v2 log delivery exists in us-east-1 (aws logs describe-deliveries --region us-east-1);",
      `  - the log bucket ${target.bucket} has a policy letting delivery.logs.amazonaws.com put objects under`,
      `    ${JSON.stringify(target.prefix)} (aws:SourceAccount, aws:SourceArn of the delivery source);`,
      `  - files are looked for under ${JSON.stringify(target.prefix)}${
        target.distributionId ? `distributionid=${target.distributionId}/year=.../hour=.../` : ""
      };`,
      `  - events are sent as GET to ${PIXEL_PATH};`,
      "  - delivery is best effort: usually within an hour, sometimes up to 24 hours. Look again later with:",
      `    npm run verify -- --logs --event-id ${eventId} ...`,
    ];
  }
  return [
    "Check, in this order:",
    "  - logging is switched on for the distribution (stack output loggingEnabled; the distribution's standard logging);",
    `  - the log bucket ${target.bucket} has object ownership BucketOwnerPreferred or ObjectWriter, and its ACL grants`,
    `    FULL_CONTROL to CloudFront's log-delivery canonical user ${LOG_DELIVERY_CANONICAL_USER};`,
    `  - the prefix is the distribution's logging prefix (looked under ${JSON.stringify(target.prefix)}${
      target.distributionId ? ` for ${target.distributionId}.*` : ""
    });`,
    `  - events are sent as GET to ${PIXEL_PATH} (a tracker sending POST, or to another path, is never logged as an event);`,
    "  - delivery is best effort: usually within an hour, sometimes up to 24 hours, and reliable only about 4 hours",
    `    after logging is first switched on. Look again later with: npm run verify -- --logs --event-id ${eventId} ...`,
  ];
}

/**
 * Lists where the distribution's v2 files landed and compares that with where the Athena table
 * reads; says the fix when they differ. Returns the prefix to look for the event under: where the
 * files are, if not under the log prefix.
 */
async function reportLayout(
  client: ReturnType<typeof makeS3Client>,
  logs: LogTarget,
  distributionId: string,
  output: Output,
  fail: () => void,
): Promise<string> {
  const bases = await findLandedBases(client, logs.bucket, logs.prefix, distributionId).catch(
    (error: unknown) => {
      throw new CliError(`cannot list s3://${logs.bucket}/: ${(error as Error).message}`, EXIT_CHECK_FAILED);
    },
  );
  const tableBase = tableBaseOf(logs.declared.tablePrefix);
  if (bases.length === 0) {
    output.out(
      `info no v2 file of ${distributionId} yet under s3://${logs.bucket}/${tableBaseOf(logs.prefix)} ` +
        "or s3://" +
        `${logs.bucket}/AWSLogs/ (the first delivery can take hours)`,
    );
    return logs.prefix;
  }
  for (const landed of bases) {
    const files = `${landed.files}${landed.files >= MAX_KEYS_LISTED ? "+" : ""} file(s)`;
    output.out(
      `${landed.base === tableBase ? "ok  " : "info"} files of ${distributionId} landed under ` +
        `s3://${logs.bucket}/${landed.base}distributionid=${distributionId}/... (${files})`,
    );
  }
  if (!bases.some((b) => b.base === tableBase)) {
    fail();
    const [first, ...more] = layoutFix(logs.bucket, bases[0].base, tableBase);
    output.out(`FAIL layout: ${first}`);
    for (const line of more) output.out(`       ${line}`);
  }
  // The event is looked for where the newest file landed (keys sort by hour under their base).
  const newest = [...bases].sort((a, b) =>
    b.lastKey.slice(b.base.length).localeCompare(a.lastKey.slice(a.base.length)),
  )[0];
  return newest.base;
}

export async function main(argv: string[], output: Output, deps: VerifyDeps = {}): Promise<number> {
  return withCliErrors(output, async () => {
    const args = parseCommandArgs("verify", argv, OPTIONS);
    if (args.values.help) {
      output.out(USAGE);
      return EXIT_OK;
    }
    const now = deps.now ?? (() => new Date());
    const stack = stringOption(args, "stack");
    const outputsFile = stringOption(args, "outputs");
    if (stringOption(args, "url") !== undefined && (stack !== undefined || outputsFile !== undefined)) {
      throw new CliError("give --url, or --stack / --outputs, not both.");
    }
    const request: RetryOptions = {
      timeoutMs: parseDuration("request-timeout", stringOption(args, "request-timeout") ?? "10s"),
      retries: parseCount("retries", stringOption(args, "retries") ?? "2", 10),
      retryDelayMs: deps.retryDelayMs ?? 1000,
      ca: deps.ca,
      lookup: deps.lookup,
    };
    const earlierEventId = stringOption(args, "event-id");
    const wantLogs = args.values.logs === true || earlierEventId !== undefined;
    const logTimeoutMs = parseDuration("log-timeout", stringOption(args, "log-timeout") ?? "60m");
    const pollIntervalMs = parseDuration("poll-interval", stringOption(args, "poll-interval") ?? "60s");
    const sinceOption = stringOption(args, "since");
    const since = sinceOption !== undefined ? parseSince(sinceOption) : undefined;
    const outputs =
      stack !== undefined || outputsFile !== undefined
        ? await loadStackOutputs({ stack, outputsFile, pulumiCommand: deps.pulumiCommand })
        : undefined;
    const logs = wantLogs ? logTarget(args, outputs) : undefined;
    const s3 = logs === undefined ? undefined : makeS3Client(logs);
    if (s3 !== undefined) {
      await requireCredentials(s3, `run verify again (the log bucket s3://${logs?.bucket} needs them)`);
    }

    let failed = false;
    let eventId = earlierEventId;
    const startedAt = now();
    if (earlierEventId === undefined) {
      const target = liveTarget(args, outputs);
      const pixel = deps.pixel ?? pixelBytes();
      output.out(`viewer protocol policy: ${target.policy}`);
      // On a host name (the custom domain, or the distribution's own), not on a bare address.
      if (isIP(new URL(target.httpsUrl).hostname.replace(/^\[|\]$/g, "")) === 0) {
        const check = await checkCertificate(target.httpsUrl, request);
        printCertificate(check, output);
        failed ||= !check.ok;
      }
      for (const [scheme, url] of [
        ["https", target.httpsUrl],
        ["http", target.httpUrl],
      ] as const) {
        const check = await checkScheme(scheme, url, target.policy, pixel, request);
        printCheck(check, output);
        failed ||= !check.ok;
      }
      if (target.note) output.out(`note ${target.note}`);
      for (const check of await checkCors(
        target.httpsUrl,
        target.corsAllowedOrigins,
        request,
        stringOption(args, "origin"),
      )) {
        printCors(check, output);
        failed ||= !check.ok;
      }

      const appId = stringOption(args, "app-id") ?? DEFAULT_TEST_APP_ID;
      const event = makeTestEvent(target.httpsUrl, appId, startedAt);
      try {
        const answer = await httpGetWithRetries(event.url, request);
        const problems = problemsWith(answer, { kind: "pixel" }, event.url, pixel);
        output.out(
          `${problems.length ? "FAIL" : "ok  "} test event sent: eid=${event.eventId} (${answer.status})`,
        );
        for (const problem of problems) output.out(`       ${problem}`);
        failed ||= problems.length > 0;
        eventId = event.eventId;
      } catch (error) {
        output.out(
          `FAIL test event not sent: ${error instanceof NetworkFailure ? error.message : String(error)}`,
        );
        failed = true;
      }
      const probe = makeOversizedProbe(target.httpsUrl, appId);
      output.out(`info ${await sendOversizedProbe(probe, request)}`);
    }

    if (logs !== undefined && s3 !== undefined && eventId !== undefined) {
      const from =
        since ?? (earlierEventId !== undefined ? new Date(startedAt.getTime() - 86_400_000) : startedAt);
      output.out(
        `waiting for eid=${eventId} in s3://${logs.bucket}/${logs.prefix} (${logs.mode} logging) ` +
          `(up to ${formatDuration(logTimeoutMs)}, every ${formatDuration(pollIntervalMs)})`,
      );
      const pollPrefix =
        logs.mode === "v2" && logs.distributionId !== undefined
          ? await reportLayout(s3, logs, logs.distributionId, output, () => (failed = true))
          : logs.prefix;
      const result = await pollForEvent({
        client: s3,
        bucket: logs.bucket,
        prefix: pollPrefix,
        mode: logs.mode,
        distributionId: logs.distributionId,
        eventId,
        since: from,
        timeoutMs: logTimeoutMs,
        intervalMs: pollIntervalMs,
        onProgress: (message) => output.out(`       ${message}`),
      }).catch((error: unknown) => {
        if (isMissingCredentials(error)) throw missingCredentials(error, "run verify again");
        throw new CliError(
          `cannot read s3://${logs.bucket}/${logs.prefix}: ${(error as Error).message}`,
          EXIT_CHECK_FAILED,
        );
      });
      if (result.found) {
        output.out(`ok   event in the logs: s3://${logs.bucket}/${result.key} (line ${result.event.line})`);
        output.out(JSON.stringify(result.event, null, 2));
        if (logs.mode === "v2") {
          const check = checkFirstFile({
            bucket: logs.bucket,
            key: result.key,
            report: result.report,
            fields: result.fields,
            distributionId: logs.distributionId,
            declared: logs.declared,
          });
          for (const line of check.lines) output.out(line);
          failed ||= check.tableMissesIt;
        }
      } else {
        failed = true;
        output.out(
          `FAIL eid=${eventId} not in the logs after ${formatDuration(logTimeoutMs)} (${result.filesRead} file(s) read).`,
        );
        for (const problem of result.problems) output.out(`       ${problem}`);
        for (const line of timeoutAdvice(logs, eventId)) output.out(line);
      }
    }
    output.out(failed ? "verify: FAILED (see FAIL lines above)" : "verify: all checks passed");
    return failed ? EXIT_CHECK_FAILED : EXIT_OK;
  });
}

runAsScript(module, main);
