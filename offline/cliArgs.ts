/**
 * Strict `--key value` parsing for the offline commands: an unknown flag or a missing value is
 * an error naming it, never silently ignored.
 */
import { parseArgs as nodeParseArgs } from "util";

export function parseArgs<K extends string>(
  argv: string[],
  spec: Record<K, "string" | "boolean">,
  usage: string,
): Partial<Record<K, string>> {
  const options = Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }])) as Record<
    string,
    { type: "string" | "boolean" }
  >;
  try {
    const { values } = nodeParseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) as Partial<
      Record<K, string>
    >;
  } catch (e) {
    throw new Error(`${(e as Error).message}\nusage: ${usage}`);
  }
}
