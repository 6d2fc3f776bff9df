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
  /**
   * Keys the stack file holds as `secure:` ciphertext, left out of `config`: only the Pulumi CLI
   * decrypts them, with the stack's secrets provider.
   */
  secrets?: { key: string; file: string; line: number }[];
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
  const stackConfig = readStackFile(stackFile);
  const secrets: NonNullable<StackSettings["secrets"]> = [];
  const lines = fs.readFileSync(stackFile, "utf8").split("\n");
  for (const [key, value] of Object.entries(stackConfig)) {
    if (isSecure(value)) {
      // The project default, if any, is not what the stack says either.
      delete config[namespaced(key)];
      const line = lines.findIndex((l) => new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*:`).test(l)) + 1;
      secrets.push({ key: namespaced(key), file: path.basename(stackFile), line: line || 1 });
    } else if (value !== undefined && value !== null) config[namespaced(key)] = stringify(value);
  }
  return { project: name, stack, config, secrets };
}

/**
 * The `config:` map of a stack file. Every way the file can be wrong is reported with the file's
 * name and a line number: YAML errors by js-yaml's mark, shape errors at the line of the key.
 */
export function readStackFile(file: string): Record<string, unknown> {
  const name = path.basename(file);
  const text = fs.readFileSync(file, "utf8");
  const example = "e.g.\n  config:\n    aws:region: eu-west-1";
  if (!text.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#"))) {
    throw new Error(
      `${name}:1: the file is empty or holds only comments; a stack file needs a \`config:\` map, ${example}`,
    );
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number; snippet?: string } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e as Error).message;
    const where = mark ? `${name}:${mark.line + 1}:${mark.column + 1}` : name;
    // js-yaml's snippet shows the lines before the mark too: the cause is often one line up.
    const snippet = mark?.snippet ? `\n${mark.snippet}` : "";
    throw new Error(`${where}: not valid YAML: ${reason}${snippet}`, { cause: e });
  }
  const lineOf = (key: string) => {
    const i = text
      .split("\n")
      .findIndex((line) => new RegExp(`^["']?${escapeRegExp(key)}["']?\\s*:`).test(line));
    return i < 0 ? 1 : i + 1;
  };
  const firstContentLine =
    text.split("\n").findIndex((line) => line.trim() !== "" && !line.trim().startsWith("#")) + 1;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(
      `${name}:${firstContentLine}: expected a map with a \`config:\` key, found ${kindOf(doc)}; ${example}`,
    );
  }
  const top = doc as Record<string, unknown>;
  if (!("config" in top)) {
    const keys = Object.keys(top);
    const hint = keys.some((k) => k.includes(":"))
      ? ` (${keys.map((k) => JSON.stringify(k)).join(", ")} look like settings: indent them under \`config:\`)`
      : "";
    throw new Error(`${name}:${firstContentLine}: no \`config:\` key${hint}; ${example}`);
  }
  const config = top.config;
  if (config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new Error(
      `${name}:${lineOf("config")}: \`config:\` must be a map of KEY: VALUE lines, found ${kindOf(config)}; ` +
        example,
    );
  }
  return config as Record<string, unknown>;
}

/** `key: { secure: <ciphertext> }`, how the Pulumi CLI writes a secret into a stack file. */
function isSecure(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list (lines starting with `-`)";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a map";
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
