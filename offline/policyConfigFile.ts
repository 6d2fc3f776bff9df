/**
 * Reads a `--policy-pack-config` file: JSON, an object keyed by policy name. What each entry may
 * hold is policyConfig.ts's check against the pack's schemas; this read comes first, before the
 * pack starts, so that a missing or broken file fails at once (and without loading Ajv).
 */
import * as fs from "fs";

export function readPolicyConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new Error(`policy config ${file}: ${why}`, { cause: e });
  }
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`policy config ${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`policy config ${file}: expected a JSON object keyed by policy name`);
  }
  return parsed as Record<string, unknown>;
}
