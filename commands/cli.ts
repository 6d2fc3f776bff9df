/**
 * What the commands share: argument parsing that fails with one clear message, exit codes, and
 * the wrapper that turns a command's `main` into a process exit status.
 */
import { parseArgs } from "util";
import { Writable } from "stream";
import { flagsTakenByNpm, joinNegativeValues, parseArgsProblem } from "./argv";

export const EXIT_OK = 0;
/** A check ran and failed: the collector, or its logs, are not as they should be. */
export const EXIT_CHECK_FAILED = 1;
/** The command was given something it cannot use: bad arguments, missing outputs, no Pulumi CLI. */
export const EXIT_BAD_INPUT = 2;

/** An error whose message is all the user needs: printed alone, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_BAD_INPUT,
  ) {
    super(message);
  }
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Where bulk output streams to, with backpressure (stdout); absent in tests' captures. */
  stream?: Writable;
}

/** The status of a process whose standard output was closed under it, as SIGPIPE's: 128 + 13. */
export const EXIT_STDOUT_CLOSED = 141;

/**
 * Ends the process at once, without a stack trace, when whoever reads its standard output goes
 * away (`npm run logs -- --format jsonl | head`): Node ignores SIGPIPE and reports the closed pipe
 * as an EPIPE error event, which unhandled prints a stack. The status is SIGPIPE's, as a C tool's
 * would be, and not 0: a verdict that could not be printed whole is no pass.
 */
export function exitWhenStdoutCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT_STDOUT_CLOSED);
    throw error;
  });
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  stream: process.stdout,
};

type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; default?: string | boolean; multiple?: boolean }
>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: OptionSpec,
  allowPositionals = false,
  env: NodeJS.ProcessEnv = process.env,
): ParsedArgs {
  const npmProblem = flagsTakenByNpm(command, argv, Object.keys(options), env);
  if (npmProblem !== undefined) throw new CliError(npmProblem);
  const stringOptions = Object.keys(options).filter((name) => options[name].type === "string");
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(argv, stringOptions),
      options,
      strict: true,
      allowPositionals,
    });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    const allowed = Object.keys(options)
      .map((name) => `--${name}`)
      .join(", ");
    throw new CliError(
      `${command}: ${parseArgsProblem(error, Object.keys(options))}. Allowed options: ${allowed}.`,
    );
  }
}

/** Every value of an option declared `multiple`, in the order given. */
export function stringOptions(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => {
    if (typeof v !== "string") throw new CliError(`--${name} needs a value.`);
    return v;
  });
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    throw new CliError(`--${name} needs a non-empty value.`);
  }
  return value;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Reads a duration such as `500ms`, `30s`, `60m` or `1h` into milliseconds. */
export function parseDuration(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!match || Number(match[1]) <= 0) {
    throw new CliError(
      `--${option} ${JSON.stringify(value)} is not a duration: use a positive number with a unit, ` +
        `e.g. 500ms, 30s, 60m or 1h.`,
    );
  }
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2]]);
}

/** The inverse of parseDuration, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${+(ms / 1000).toFixed(1)}s`;
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;
}

export function parseCount(option: string, value: string, max: number): number {
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(count <= max)) {
    throw new CliError(
      `--${option} ${JSON.stringify(value)} is not allowed: use a whole number from 0 to ${max}.`,
    );
  }
  return count;
}

/**
 * Runs a command's main when its file is the process entry point, and sets the exit status.
 * `main` takes the arguments after the script name and resolves with an exit code.
 */
export function runAsScript(
  mainModule: NodeModule,
  main: (argv: string[], output: Output) => Promise<number>,
): void {
  if (require.main !== mainModule) return;
  exitWhenStdoutCloses();
  void scriptExitCode(main, process.argv.slice(2), consoleOutput).then((code) => (process.exitCode = code));
}

/**
 * Runs `main` as the script does and resolves with its exit code: an error that escapes it is
 * printed as one line, exit 1. The specs run commands in-process through this.
 */
export async function scriptExitCode(
  main: (argv: string[], output: Output) => Promise<number>,
  argv: string[],
  output: Output,
): Promise<number> {
  try {
    return await main(argv, output);
  } catch (error) {
    output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CHECK_FAILED;
  }
}

/** Wraps a command body so that a CliError becomes its message and exit code. */
export async function withCliErrors(output: Output, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliError) {
      output.err(`error: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
