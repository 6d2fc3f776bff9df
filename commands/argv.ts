/**
 * How a command line goes wrong before any command logic sees it: npm keeping flags for itself,
 * Node's parser refusing a negative number as an option's value, and Node's parser messages,
 * retold for `npm run`. Shared by the commands (commands/) and the offline runners (offline/).
 */
import { nearestName } from "../collector/config/nearestName";

/**
 * `npm run preview --stack prod` (no `--`): npm reads `--stack` as its own config, puts it in the
 * environment as `npm_config_stack` and hands the script only `prod`. Returns the message that
 * says so, with the command line that works, or undefined when npm swallowed none of `options`.
 */
export function flagsTakenByNpm(
  command: string,
  argv: readonly string[],
  options: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  // Only under `npm run`; npm sets npm_config_prefix itself, so that name says nothing.
  if (env.npm_lifecycle_event === undefined) return undefined;
  const given = new Set(argv.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")[0]));
  const taken = options.filter(
    (name) =>
      name !== "prefix" && !given.has(name) && env[`npm_config_${name.replace(/-/g, "_")}`] !== undefined,
  );
  if (taken.length === 0) return undefined;
  const flags = taken.map((name) => {
    const value = env[`npm_config_${name.replace(/-/g, "_")}`];
    // A flag followed by a separate value reaches npm as `true`, its value as a plain argument.
    return value === "true" || value === "" ? `--${name}` : `--${name} ${value}`;
  });
  const bare = flags.filter((f) => !f.includes(" ")).length;
  // With more than one bare flag, which argument was whose value is lost: show the form only.
  const fixed =
    bare <= 1
      ? [...flags, ...argv.filter((a) => !a.startsWith("--")), ...argv.filter((a) => a.startsWith("--"))]
      : ["<the flags and values>"];
  return (
    `npm kept ${taken.map((n) => `--${n}`).join(", ")} for itself: flags for the command go after ` +
    `\`--\`. Run: npm run ${command} -- ${fixed.join(" ")}`
  );
}

/**
 * Node's parseArgs reads `--retries -1` as two flags ("argument is ambiguous"). A value that
 * looks like a negative number is joined to its option (`--retries=-1`), so that the command's
 * own check of the value answers instead.
 */
export function joinNegativeValues(argv: readonly string[], stringOptions: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (
      arg.startsWith("--") &&
      stringOptions.includes(arg.slice(2)) &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      result.push(`${arg}=${next}`);
      i++;
    } else {
      result.push(arg);
    }
  }
  return result;
}

/**
 * What Node's parseArgs refused, in the command's terms. Its text for an unknown option tells you
 * to "place it at the end of the command after '--'", advice for `node` itself that does not
 * apply under `npm run`, which has already taken the `--`: name the option and the nearest
 * declared one instead.
 */
export function parseArgsProblem(error: unknown, options: readonly string[]): string {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted !== undefined) {
    const near = nearestName(quoted.replace(/^-+/, "").split("=")[0], options);
    return `unknown option ${quoted}${near ? ` (did you mean --${near}?)` : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted !== undefined) {
    return `unexpected argument ${JSON.stringify(quoted)}: this command takes options only`;
  }
  return message.replace(/\.+$/, "");
}
