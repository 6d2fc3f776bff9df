/**
 * Reads and validates the stack's configuration: the one place the program touches `pulumi.Config`.
 * Every key and its default is declared in Pulumi.yaml (so `pulumi config` documents it and the
 * CLI merges the default in); this module parses and checks the values and fails with one message
 * naming each bad key, its value and what is allowed, before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ArgProblem,
  CollectorArgs,
  collectorArgProblems,
  describeProblems,
  LOG_OUTPUT_FORMATS,
  LogOutputFormat,
  LoggingMode,
  REFUSED_OUTPUT_FORMATS,
  PriceClass,
  ViewerProtocolPolicy,
} from "./args";
import { resolveRecordFields } from "../eventLogs/logFields";
import { nearestName } from "./nearestName";
import { EU_LOG_REGIONS, EU_OPT_IN_REGIONS, OPT_IN_REGIONS, REGION_PATTERN } from "./regions";

export interface StackConfig {
  /** The AWS Region of both buckets (the provider's `aws:region`). */
  region: string;
  /** The collector component's arguments. */
  collector: CollectorArgs;
}

/** The project's config keys, as declared in Pulumi.yaml. */
export const CONFIG_KEYS = [
  "requireEuRegion",
  "loggingEnabled",
  "logPrefix",
  "loggingMode",
  "recordFields",
  "logOutputFormat",
  "logTablePrefix",
  "migrateLegacyLogBucket",
  "retentionDays",
  "noncurrentVersionRetentionDays",
  "priceClass",
  "viewerProtocolPolicy",
  "protectLogBucket",
  "corsAllowedOrigins",
  "customDomain",
  "hostedZoneId",
  "certificateArn",
  "analyticsEnabled",
  "queryScanCutoffMb",
  "queryResultRetentionDays",
] as const;

/** Keys a stack may leave out: the custom domain is off until customDomain is set, the table reads logPrefix. */
const OPTIONAL_KEYS: readonly string[] = ["customDomain", "hostedZoneId", "certificateArn", "logTablePrefix"];

type RawConfig = Record<(typeof CONFIG_KEYS)[number], string | undefined>;

/** Thrown for bad configuration: the CLI prints a RunError's message without a stack trace. */
export class ConfigError extends pulumi.RunError {}

/**
 * Validates raw string config (as the CLI hands it to the program) and returns typed settings.
 * Pure, so tests and the offline runner can check a stack file without running the program.
 */
export function parseStackConfig(
  project: string,
  stack: string,
  region: string | undefined,
  raw: Partial<RawConfig>,
  allConfig: Readonly<Record<string, string>> = {},
): StackConfig {
  const problems: ArgProblem[] = [];
  const missing = CONFIG_KEYS.filter((k) => raw[k] === undefined && !OPTIONAL_KEYS.includes(k));
  for (const key of missing) {
    problems.push({ key, value: undefined, allowed: "a value (declare its default in Pulumi.yaml)" });
  }
  const known = new Set<string>(CONFIG_KEYS);
  for (const [full, value] of Object.entries(allConfig)) {
    const [ns, key] = splitKey(full);
    if (ns === project && !known.has(key)) {
      const near = nearestName(key, CONFIG_KEYS);
      problems.push({
        key,
        value,
        allowed: `one of the declared keys: ${CONFIG_KEYS.join(", ")}`,
        problem:
          `${JSON.stringify(value)} is set, but the project declares no such key` +
          `${near ? `; did you mean ${near}?` : "."} Declared keys: ${CONFIG_KEYS.join(", ")}`,
      });
    }
  }

  const bool = (key: keyof RawConfig): boolean => {
    const v = raw[key];
    if (v === "true" || v === "false") return v === "true";
    if (v !== undefined) problems.push({ key, value: v, allowed: "true or false" });
    return false;
  };
  const int = (key: keyof RawConfig): number => {
    const v = raw[key];
    if (v !== undefined && /^-?\d+$/.test(v.trim())) return Number(v);
    if (v !== undefined) problems.push({ key, value: v, allowed: "a whole number" });
    return NaN;
  };

  const requireEu = bool("requireEuRegion");
  const loggingEnabled = bool("loggingEnabled");
  const retentionDays = int("retentionDays");
  const noncurrentVersionRetentionDays = int("noncurrentVersionRetentionDays");
  const corsAllowedOrigins = originList(raw.corsAllowedOrigins, problems);
  const loggingMode = (raw.loggingMode ?? "").trim() as LoggingMode;
  // The field list and format matter only to a v2 delivery, but they are checked in legacy mode
  // too, so that a bad value cannot wait in the stack file for the day the mode is switched.
  let recordFields: string[] | undefined;
  if (raw.recordFields !== undefined) {
    const resolved = resolveRecordFields(raw.recordFields);
    if (resolved.problem !== undefined) {
      problems.push({ key: "recordFields", value: raw.recordFields, allowed: resolved.problem });
    }
    recordFields = resolved.fields;
  }
  const logOutputFormat = (raw.logOutputFormat ?? "").trim() as LogOutputFormat;
  if (loggingMode !== "v2" && !(LOG_OUTPUT_FORMATS as readonly string[]).includes(logOutputFormat)) {
    const refused = REFUSED_OUTPUT_FORMATS[logOutputFormat];
    problems.push({
      key: "logOutputFormat",
      value: raw.logOutputFormat,
      allowed: `one of ${LOG_OUTPUT_FORMATS.join(", ")}${refused ? ` (${refused})` : ""}`,
    });
  }
  const domain = raw.customDomain?.trim() ?? "";
  const certificateArn = raw.certificateArn?.trim() ?? "";
  const hostedZoneId = raw.hostedZoneId?.trim() ?? "";
  const analyticsEnabled = bool("analyticsEnabled");
  const queryScanCutoffMb = int("queryScanCutoffMb");
  const queryResultRetentionDays = int("queryResultRetentionDays");

  const collector: CollectorArgs = {
    loggingEnabled,
    logPrefix: raw.logPrefix ?? "",
    loggingMode,
    recordFields: loggingMode === "v2" ? (recordFields ?? []) : undefined,
    logOutputFormat:
      loggingMode === "v2" ? ((raw.logOutputFormat ?? "").trim() as LogOutputFormat) : undefined,
    migrateLegacyLogBucket: bool("migrateLegacyLogBucket"),
    logTablePrefix: raw.logTablePrefix?.trim() || undefined,
    retentionDays,
    noncurrentVersionRetentionDays,
    priceClass: (raw.priceClass ?? "") as PriceClass,
    viewerProtocolPolicy: (raw.viewerProtocolPolicy ?? "") as ViewerProtocolPolicy,
    protectLogBucket: bool("protectLogBucket"),
    corsAllowedOrigins,
    customDomain:
      domain || certificateArn || hostedZoneId
        ? {
            domain,
            ...(hostedZoneId ? { hostedZoneId } : {}),
            ...(certificateArn ? { certificateArn } : {}),
          }
        : undefined,
    analytics: analyticsEnabled ? { queryScanCutoffMb, queryResultRetentionDays } : undefined,
  };
  // A value missing or unparsable was already reported; do not report it twice, nor what a rule
  // concludes from the stand-in it was parsed to (loggingEnabled "yes" is not "false").
  const parsedBad = new Set(problems.map((p) => p.key));
  problems.push(
    ...collectorArgProblems(collector).filter(
      (p) => !parsedBad.has(p.key) && !(p.dependsOn ?? []).some((key) => parsedBad.has(key)),
    ),
  );

  if (region === undefined || region === "") {
    problems.push({
      key: "aws:region",
      value: undefined,
      allowed: `an AWS Region such as eu-west-1, set in Pulumi.${stack}.yaml`,
    });
  } else if (!REGION_PATTERN.test(region)) {
    problems.push({ key: "aws:region", value: region, allowed: "an AWS Region name such as eu-west-1" });
  } else if (requireEu && !euRegions(loggingMode).includes(region)) {
    problems.push({
      key: "aws:region",
      value: region,
      allowed:
        `an EU Region that receives CloudFront ${loggingMode === "v2" ? "v2" : "legacy"} logs ` +
        `(requireEuRegion is true): ${euRegions(loggingMode).join(", ")}`,
    });
  } else if (loggingEnabled && loggingMode !== "v2" && OPT_IN_REGIONS.includes(region)) {
    problems.push({
      key: "aws:region",
      value: region,
      allowed:
        "a Region that is not opt-in: CloudFront's legacy logging does not deliver to opt-in Regions " +
        '(loggingMode "v2" does)',
    });
  }

  if (problems.length > 0) {
    const lines = problems.map((p) => ({ ...p, key: p.key.includes(":") ? p.key : `${project}:${p.key}` }));
    throw new ConfigError(`Invalid configuration for stack "${stack}":\n${describeProblems(lines)}`);
  }
  return { region: region as string, collector };
}

/**
 * The allowed CORS origins: a YAML list in the stack file (the CLI hands it over as JSON), or one
 * string of comma-separated origins as `pulumi config set` writes it.
 */
function originList(value: string | undefined, problems: ArgProblem[]): string[] {
  if (value === undefined) return [];
  const text = value.trim();
  if (!text.startsWith("[")) return text.split(",").map((o) => o.trim());
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((o) => typeof o === "string")) return parsed;
  } catch {
    // reported below
  }
  problems.push({
    key: "corsAllowedOrigins",
    value,
    allowed: 'a list of strings, e.g. ["*"] or ["https://www.example.com"]',
  });
  return [];
}

/** Opt-in Regions receive logs only from standard logging v2. */
function euRegions(mode: string): readonly string[] {
  return mode === "v2" ? [...EU_LOG_REGIONS, ...EU_OPT_IN_REGIONS] : EU_LOG_REGIONS;
}

function splitKey(full: string): [string, string] {
  const i = full.indexOf(":");
  return i < 0 ? ["", full] : [full.slice(0, i), full.slice(i + 1)];
}

/**
 * Why the program cannot run, when it is started outside the Pulumi engine (`npx ts-node
 * index.ts`, `node index.js`): no resource monitor to declare resources to, and no stack config.
 * The CLI's language host passes the monitor's address (PULUMI_NODEJS_MONITOR); the mock runtime
 * installs its own monitor. Undefined under either.
 */
export function outsideEngineProblem(): string | undefined {
  if (pulumi.runtime.getMonitor() !== undefined) return undefined;
  return [
    "This is a Pulumi program: it runs under the Pulumi engine, which hands it the stack's config",
    "and creates what it declares. It was started on its own, so nothing was declared. Run instead:",
    "  npm run preview -- --stack dev      offline: the plan and the policy verdict, no AWS needed",
    "  pulumi preview --stack dev          with the Pulumi CLI and AWS credentials",
    "  pulumi up --stack dev               to deploy (see README.md, Deploying for real)",
  ].join("\n");
}

/** Reads the running stack's config through Pulumi and validates it. */
export function loadStackConfig(): StackConfig {
  const project = pulumi.getProject();
  const config = new pulumi.Config(project);
  const raw = Object.fromEntries(CONFIG_KEYS.map((k) => [k, config.get(k)])) as RawConfig;
  const region = new pulumi.Config("aws").get("region");
  return parseStackConfig(project, pulumi.getStack(), region, raw, pulumi.runtime.allConfig());
}
