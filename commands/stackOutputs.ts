/**
 * The stack outputs the commands read, from `pulumi stack output --json --stack S` or from a
 * file holding that JSON. Each command asks only for the outputs it needs, so a dev stack with
 * logging off can still produce a tracker config.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import { VIEWER_PROTOCOL_POLICIES, ViewerProtocolPolicy } from "../collector/config/args";
import { ANY_ORIGIN } from "../collector/edge/cors";
import { TrackerConfig, TrackerCredentials } from "../collector/edge/trackerConfig";
import { CliError } from "./cli";

export interface StackOutputs {
  /** Where the outputs came from, for messages: `stack prod` or a file name. */
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface OutputsSource {
  stack?: string;
  outputsFile?: string;
  /** The Pulumi CLI to run; tests point it elsewhere. */
  pulumiCommand?: string;
}

export async function loadStackOutputs(from: OutputsSource): Promise<StackOutputs> {
  if (from.stack !== undefined && from.outputsFile !== undefined) {
    throw new CliError("give --stack or --outputs, not both.");
  }
  if (from.outputsFile !== undefined) {
    let text: string;
    try {
      text = await fs.promises.readFile(from.outputsFile, "utf8");
    } catch (error) {
      throw new CliError(
        `cannot read --outputs ${JSON.stringify(from.outputsFile)}: ${(error as Error).message}`,
      );
    }
    return parseStackOutputs(text, `--outputs ${from.outputsFile}`);
  }
  if (from.stack !== undefined) {
    const text = await runPulumiStackOutput(from.stack, from.pulumiCommand ?? "pulumi");
    return parseStackOutputs(text, `stack ${from.stack}`);
  }
  throw new CliError(
    "say which stack: --stack NAME, or --outputs FILE holding `pulumi stack output --json`.",
  );
}

export function parseStackOutputs(text: string, source: string): StackOutputs {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${source} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new CliError(`${source} is not a JSON object of stack outputs.`);
  }
  return { source, values: values as Record<string, unknown> };
}

function runPulumiStackOutput(stack: string, command: string): Promise<string> {
  const args = ["stack", "output", "--json", "--stack", stack];
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(
          new CliError(
            `the Pulumi CLI (${JSON.stringify(command)}) is not on PATH, so --stack ${stack} cannot be read. ` +
              `Install it, or run \`pulumi stack output --json --stack ${stack} > outputs.json\` where it is ` +
              `and pass --outputs outputs.json.`,
          ),
        );
      }
      const detail = stderr.trim() || error.message;
      reject(new CliError(`\`${command} ${args.join(" ")}\` failed: ${detail}`));
    });
  });
}

function describe(value: unknown): string {
  return value === undefined ? "missing" : `${JSON.stringify(value)}`;
}

function missing(outputs: StackOutputs, key: string, expected: string, value: unknown): CliError {
  return new CliError(
    `stack output ${key} in ${outputs.source} is ${describe(value)}: expected ${expected}. ` +
      `Has \`pulumi up\` run on this stack with the current program?`,
  );
}

export function requireString(outputs: StackOutputs, key: string): string {
  const value = outputs.values[key];
  if (typeof value !== "string" || value === "") throw missing(outputs, key, "a non-empty string", value);
  return value;
}

export function optionalString(outputs: StackOutputs, key: string): string | undefined {
  const value = outputs.values[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw missing(outputs, key, "a string or null", value);
  return value;
}

export function requireBoolean(outputs: StackOutputs, key: string): boolean {
  const value = outputs.values[key];
  if (typeof value !== "boolean") throw missing(outputs, key, "true or false", value);
  return value;
}

export function requireViewerProtocolPolicy(outputs: StackOutputs): ViewerProtocolPolicy {
  const value = outputs.values.viewerProtocolPolicy;
  if (!VIEWER_PROTOCOL_POLICIES.includes(value as ViewerProtocolPolicy)) {
    throw missing(outputs, "viewerProtocolPolicy", `one of ${VIEWER_PROTOCOL_POLICIES.join(", ")}`, value);
  }
  return value as ViewerProtocolPolicy;
}

/**
 * The tracker config the stack exported. Its values are checked, not trusted: a POST method or a
 * limit above what CloudFront logs would lose events without any error anywhere.
 */
export function requireTrackerConfig(outputs: StackOutputs): TrackerConfig {
  const value = outputs.values.trackerConfig;
  const expected = "an object {endpoint, eventMethod, maxGetBytes, credentials, pixelUrl}";
  if (typeof value !== "object" || value === null) throw missing(outputs, "trackerConfig", expected, value);
  const config = value as Record<string, unknown>;
  if (typeof config.endpoint !== "string" || !/^https?:\/\/[^/]+$/.test(config.endpoint)) {
    throw missing(
      outputs,
      "trackerConfig.endpoint",
      "a URL such as https://d111.cloudfront.net",
      config.endpoint,
    );
  }
  if (config.eventMethod !== "get") {
    throw missing(
      outputs,
      "trackerConfig.eventMethod",
      '"get" (only GETs reach the access log)',
      config.eventMethod,
    );
  }
  const maxGetBytes = config.maxGetBytes;
  if (
    typeof maxGetBytes !== "number" ||
    !Number.isInteger(maxGetBytes) ||
    maxGetBytes <= 0 ||
    maxGetBytes >= 8192
  ) {
    throw missing(
      outputs,
      "trackerConfig.maxGetBytes",
      "a whole number below 8192 (CloudFront does not log longer URLs)",
      maxGetBytes,
    );
  }
  const credentials = config.credentials;
  if (credentials !== "omit" && credentials !== "include") {
    throw missing(
      outputs,
      "trackerConfig.credentials",
      '"omit" (any origin) or "include" (an allow-list of origins)',
      credentials,
    );
  }
  if (typeof config.pixelUrl !== "string" || config.pixelUrl === "") {
    throw missing(outputs, "trackerConfig.pixelUrl", "the pixel's URL", config.pixelUrl);
  }
  return {
    endpoint: config.endpoint,
    eventMethod: "get",
    maxGetBytes,
    credentials: credentials satisfies TrackerCredentials,
    pixelUrl: config.pixelUrl,
  };
}

/** The origins the pixel's CORS answer admits: ["*"], or a list of site origins. */
export function requireCorsAllowedOrigins(outputs: StackOutputs): string[] {
  const value = outputs.values.corsAllowedOrigins;
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((o) => typeof o === "string" && o !== "") &&
    (value.length === 1 || !value.includes(ANY_ORIGIN));
  if (!ok) {
    throw missing(outputs, "corsAllowedOrigins", '["*"] or a list of site origins', value);
  }
  return value as string[];
}

export interface AnalyticsTarget {
  workgroup: string;
  database: string;
  table: string;
  /** Which logging mode's table the stack declared: it decides the named queries' SQL. */
  tableLayout: "legacy" | "v2";
  /** The `events` view; absent from the outputs of a stack deployed before it existed. */
  view?: string;
}

/** The stack's Athena workgroup, database and table, or a clear error while analytics is off. */
export function requireAnalytics(outputs: StackOutputs): AnalyticsTarget {
  const value = outputs.values.analytics;
  if (value === undefined || value === null) {
    throw new CliError(
      `stack output analytics in ${outputs.source} is ${describe(value)}: analytics is off for this ` +
        `stack. Set \`pulumi config set analyticsEnabled true\` and run \`pulumi up\`.`,
    );
  }
  const expected = "an object {workgroup, database, table, tableLayout}";
  if (typeof value !== "object" || Array.isArray(value)) throw missing(outputs, "analytics", expected, value);
  const a = value as Record<string, unknown>;
  for (const key of ["workgroup", "database", "table"]) {
    if (typeof a[key] !== "string" || a[key] === "") {
      throw missing(outputs, `analytics.${key}`, "a non-empty string", a[key]);
    }
  }
  if (a.tableLayout !== "legacy" && a.tableLayout !== "v2") {
    throw missing(outputs, "analytics.tableLayout", '"legacy" or "v2"', a.tableLayout);
  }
  return {
    workgroup: a.workgroup as string,
    database: a.database as string,
    table: a.table as string,
    tableLayout: a.tableLayout,
    view: typeof a.view === "string" && a.view !== "" ? a.view : undefined,
  };
}
