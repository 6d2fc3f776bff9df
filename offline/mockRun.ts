/**
 * Runs the real Pulumi program under Pulumi's mock runtime and records what the engine would
 * see: every resource registration with its inputs (serialized, unknowns and all), parent,
 * dependencies, property dependencies and options, plus the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import * as path from "path";
import { PROJECT_DIR } from "./paths";
import { StackSettings } from "./stackConfig";
import { computedStandIns, LOG_DELIVERY_CANONICAL_USER_ID, standIn } from "./standIns";

export { unknownValue };

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  /** Inputs as the engine receives them: unknown values are `unknownValue`. */
  inputs: Record<string, unknown>;
}

export interface ProgramRun {
  settings: StackSettings;
  resources: RecordedResource[];
  /** The default AWS provider the engine would create for these resources. */
  provider: { urn: string; type: string; name: string; inputs: Record<string, string> };
  /** Stack outputs; an unknown one is `unknownValue`. */
  outputs: Record<string, unknown>;
  /** The tokens of the provider functions the program invoked (data sources), each once. */
  invokes: string[];
}

/**
 * "unknown": values only AWS computes are unknown, as in `pulumi preview` (what policies face).
 * "stand-in": they are marked placeholders such as `<collector-cdn.domainName>`, to show a plan.
 */
export type ComputedValues = "unknown" | "stand-in";

export interface RunOptions {
  settings: StackSettings;
  computed: ComputedValues;
  /** The program's main module; the project's index.ts by default. */
  program?: string;
}

/** The program failed; `resources` is what it had declared by then. */
export class ProgramError extends Error {
  constructor(
    readonly original: Error,
    readonly resources: RecordedResource[],
  ) {
    super(original.message);
    this.name = "ProgramError";
  }
}

const AWS_PACKAGE_VERSION: string = require("@pulumi/aws/package.json").version;
// Internal to the SDK (not in its typings): resolves once every queued registration is answered.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

type RegisterCallback = (err: Error | null, resp?: { getUrn(): string }) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

// The mock runtime is process-wide: runs must not overlap, so each waits for the one before.
let queue: Promise<unknown> = Promise.resolve();

/** Runs the program under the mock runtime, after any run already under way in this process. */
export function runProgram(options: RunOptions): Promise<ProgramRun> {
  const run = queue.then(() => runAlone(options));
  queue = run.catch(() => undefined);
  return run;
}

async function runAlone(options: RunOptions): Promise<ProgramRun> {
  const { settings, computed } = options;
  const program = options.program ?? path.join(PROJECT_DIR, "index.ts");
  const region = settings.config["aws:region"] ?? "";

  pulumi.runtime.setAllConfig(settings.config);
  const invokes = new Set<string>();
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): {
        id: string | undefined;
        state: Record<string, unknown>;
      } {
        if (computed === "unknown") return { id: undefined, state: args.inputs };
        return {
          id: standIn(args.name, "id"),
          state: { ...args.inputs, ...computedStandIns(args.type, args.name, region, args.inputs) },
        };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        invokes.add(args.token);
        switch (args.token) {
          case "aws:cloudfront/getLogDeliveryCanonicalUserId:getLogDeliveryCanonicalUserId":
            return { id: LOG_DELIVERY_CANONICAL_USER_ID };
          case "aws:index/getCallerIdentity:getCallerIdentity": {
            // Known at preview under the CLI too: the provider answers it from the credentials.
            const accountId = standIn("account", "accountId");
            return {
              id: accountId,
              accountId,
              arn: standIn("caller", "arn"),
              userId: standIn("caller", "userId"),
            };
          }
          case "aws:s3/getCanonicalUserId:getCanonicalUserId":
            return { id: standIn("account", "canonicalUserId"), displayName: "" };
          default:
            throw new Error(`the offline run has no stand-in for the call ${args.token}`);
        }
      },
    },
    settings.project,
    settings.stack,
    true,
  );

  const resources: RecordedResource[] = [];
  const monitor = getMonitor() as unknown as MockMonitor;
  const register = monitor.registerResource.bind(monitor) as (
    r: RegisterRequest,
    cb: RegisterCallback,
  ) => void;
  (monitor as unknown as { registerResource: typeof register }).registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) resources.push(recordOf(req, resp.getUrn()));
      callback(err, resp);
    });

  clearProgramModules();
  const outputs: Record<string, unknown> = {};
  // The SDK formats a stack trace for every promise it makes (debuggablePromise); mapped through
  // ts-node's source maps that is most of a run's time, and nothing reads them. An error's own
  // stack is formatted when first read, after the run, so it stays mapped.
  const mapStack = Error.prepareStackTrace;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  try {
    const programExports = require(program) as Record<string, unknown>;
    for (const [key, value] of Object.entries(programExports)) {
      outputs[key] = await resolveOutput(value);
    }
    await waitForRPCs();
  } catch (e) {
    throw new ProgramError(e as Error, resources);
  } finally {
    Error.prepareStackTrace = mapStack;
  }

  const providerName = `default_${AWS_PACKAGE_VERSION.replace(/\./g, "_")}`;
  return {
    settings,
    resources,
    outputs,
    invokes: [...invokes].sort(),
    provider: {
      urn: `urn:pulumi:${settings.stack}::${settings.project}::pulumi:providers:aws::${providerName}`,
      type: "pulumi:providers:aws",
      name: providerName,
      inputs: { region, version: AWS_PACKAGE_VERSION },
    },
  };
}

function recordOf(req: RegisterRequest, urn: string): RecordedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => {
    propertyDependencies[k] = v.getUrnsList();
  });
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || undefined,
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    protect: req.getProtect(),
    retainOnDelete: req.getRetainondelete(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    inputs: req.getObject()?.toJavaScript() ?? {},
  };
}

async function resolveOutput(value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) return value;
  const internal = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
  const [known, inner] = await Promise.all([internal.isKnown, internal.promise()]);
  return known ? inner : unknownValue;
}

/** The program's own modules are loaded afresh on each run; Pulumi's stay loaded. */
function clearProgramModules(): void {
  for (const id of Object.keys(require.cache)) {
    if (
      id.startsWith(PROJECT_DIR) &&
      !id.includes(`${path.sep}node_modules${path.sep}`) &&
      !id.includes(`${path.sep}offline${path.sep}`)
    ) {
      delete require.cache[id];
    }
  }
}
