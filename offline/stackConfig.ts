/**
 * Builds a stack's configuration the way the Pulumi CLI does before it starts the program:
 * the project's declared defaults from Pulumi.yaml, overlaid by Pulumi.<stack>.yaml, with the
 * project's own keys namespaced `<project>:<key>` and every value handed over as a string.
 * Pulumi's mock runtime does none of this by itself.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export interface StackSettings {
  project: string;
  stack: string;
  /** Namespaced key → value, as the program reads them (`PULUMI_CONFIG`). */
  config: Record<string, string>;
}

interface ProjectFile {
  name?: unknown;
  config?: Record<string, unknown>;
}

interface DeclaredKey {
  type?: string;
  description?: string;
  default?: unknown;
  value?: unknown;
}

export function readYaml<T>(file: string): T {
  return yaml.load(fs.readFileSync(file, "utf8")) as T;
}

/** The stacks that have a Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The project's declared config keys, without namespace, with their declarations. */
export function declaredKeys(projectDir: string): Record<string, DeclaredKey> {
  const project = readYaml<ProjectFile>(path.join(projectDir, "Pulumi.yaml"));
  const name = String(project.name);
  const declared: Record<string, DeclaredKey> = {};
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const bare = key.startsWith(`${name}:`) ? key.slice(name.length + 1) : key;
    if (!bare.includes(":")) declared[bare] = (decl ?? {}) as DeclaredKey;
  }
  return declared;
}

export function loadStackSettings(projectDir: string, stack: string): StackSettings {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  const project = readYaml<ProjectFile>(projectFile);
  if (typeof project?.name !== "string") {
    throw new Error(`${projectFile}: no project name`);
  }
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    const known = listStacks(projectDir);
    throw new Error(
      `unknown stack "${stack}": no ${path.basename(stackFile)}; known stacks: ${known.join(", ") || "none"}`,
    );
  }
  const name = project.name;
  const namespaced = (key: string) => (key.includes(":") ? key : `${name}:${key}`);

  const config: Record<string, string> = {};
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    // A declaration (type/description/default) or, for another namespace, a plain value.
    const d = decl as DeclaredKey | string | number | boolean | null;
    const value = d !== null && typeof d === "object" ? (d.default ?? d.value) : d;
    if (value !== undefined && value !== null) config[namespaced(key)] = stringify(value);
  }
  const stackConfig = readYaml<{ config?: Record<string, unknown> } | null>(stackFile)?.config ?? {};
  for (const [key, value] of Object.entries(stackConfig)) {
    if (value !== undefined && value !== null) config[namespaced(key)] = stringify(value);
  }
  return { project: name, stack, config };
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
