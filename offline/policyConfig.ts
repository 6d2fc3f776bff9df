/**
 * Reads a `--policy-pack-config` file the way the Pulumi CLI does: per policy either an
 * enforcement level ("advisory") or an object of properties with an optional `enforcementLevel`,
 * plus "all" for every policy; then checks each policy's properties against the schema the pack
 * declares, so a misspelt knob fails here as it would under `pulumi preview`.
 */
import Ajv, { ValidateFunction } from "ajv";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

export interface PolicyDeclaration {
  name: string;
  enforcementLevel: EnforcementLevel;
  /** JSON schema of the policy's properties, as the pack reports it. */
  configSchema?: { properties: Record<string, unknown>; required?: string[] };
}

export interface PolicySettings {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/**
 * A schema's validator, compiled once: a command resolves the same config twice (its check before
 * the plan prints, then the verdict), and compiling is most of what resolving costs.
 */
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/** Resolves the config of every policy of the pack, failing on unknown policies or bad knobs. */
export function resolvePolicyConfig(
  policies: readonly PolicyDeclaration[],
  raw: Record<string, unknown>,
  source: string,
): Map<string, PolicySettings> {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const problems: string[] = [];
  const level = (value: unknown, where: string): EnforcementLevel | undefined => {
    if (value === undefined) return undefined;
    if ((ENFORCEMENT_LEVELS as readonly unknown[]).includes(value)) return value as EnforcementLevel;
    problems.push(
      `${where}: enforcement level ${JSON.stringify(value)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`,
    );
    return undefined;
  };
  const all = level(raw.all, "all");
  for (const name of Object.keys(raw)) {
    if (name !== "all" && !byName.has(name)) {
      problems.push(`${name}: no such policy in the pack; policies: ${[...byName.keys()].join(", ")}`);
    }
  }

  const resolved = new Map<string, PolicySettings>();
  for (const policy of policies) {
    const entry = raw[policy.name];
    let properties: Record<string, unknown> = {};
    let explicit: EnforcementLevel | undefined;
    if (typeof entry === "string") {
      explicit = level(entry, policy.name);
    } else if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
      const { enforcementLevel, ...rest } = entry as Record<string, unknown>;
      explicit = level(enforcementLevel, policy.name);
      properties = rest;
    } else if (entry !== undefined) {
      problems.push(
        `${policy.name}: expected an enforcement level or an object, got ${JSON.stringify(entry)}`,
      );
    }
    const schema = policy.configSchema;
    if (Object.keys(properties).length > 0 || schema?.required?.length) {
      const validate = validatorFor({
        type: "object",
        properties: schema?.properties ?? {},
        required: schema?.required ?? [],
        additionalProperties: false,
      });
      if (!validate(properties)) {
        for (const err of validate.errors ?? []) {
          const extra = (err.params as { additionalProperty?: string }).additionalProperty;
          problems.push(
            `${policy.name}${err.instancePath.replace(/\//g, ".")}: ${err.message}${extra ? ` (${extra})` : ""}`,
          );
        }
      }
    }
    resolved.set(policy.name, { enforcementLevel: explicit ?? all ?? policy.enforcementLevel, properties });
  }
  if (problems.length > 0) {
    throw new Error(`policy config ${source} is not valid for this pack:\n  ${problems.join("\n  ")}`);
  }
  return resolved;
}
