/** Where the offline commands find the project and its policy pack. */
import * as path from "path";

/** The project root: Pulumi.yaml, the stack files and index.ts. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

export const POLICY_PACK_DIR = path.join(PROJECT_DIR, "policy");

/** The `--policy-pack-config` file a stack is enforced with: policy/config/<stack>.json. */
export function defaultPolicyConfig(stack: string): string {
  return path.join(POLICY_PACK_DIR, "config", `${stack}.json`);
}
