/**
 * Speaks to the policy pack as the Pulumi CLI does, once packProcess.ts has started it: the analyzer
 * gRPC protocol, GetAnalyzerInfo, Configure, ConfigureStack, Analyze for each resource and
 * AnalyzeStack for the whole stack. The verdicts are the pack's own; nothing here judges.
 */
import * as grpc from "@grpc/grpc-js";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as fs from "fs";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "./mockRun";
import { launchPack, PackLaunch, SpawnedPack, stopPack } from "./packProcess";
import type { EnforcementLevel, PolicyDeclaration, PolicySettings } from "./policyConfig";

// Struct and Empty must be the classes @pulumi/pulumi's generated code was built with (its
// serializers check instanceof), so they are resolved from there.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require.resolve(id, { paths: [pulumiDir] });
const structproto = require(
  fromPulumi("google-protobuf/google/protobuf/struct_pb"),
) as typeof import("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require(
  fromPulumi("google-protobuf/google/protobuf/empty_pb"),
) as typeof import("google-protobuf/google/protobuf/empty_pb");

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  description: string;
  /** The resource the violation is reported against, if any. */
  urn?: string;
}

export interface PackInfo {
  name: string;
  version: string;
  policies: PolicyDeclaration[];
}

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
  [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(
  Object.entries(LEVELS).map(([code, name]) => [name, Number(code)]),
) as Record<EnforcementLevel, analyzerproto.EnforcementLevel>;

export class PolicyPackProcess {
  private sessions: Promise<unknown> = Promise.resolve();
  private declared?: Promise<PackInfo>;

  private constructor(
    private readonly spawned: SpawnedPack,
    private readonly client: analyzerrpc.AnalyzerClient,
  ) {}

  /** Starts the pack in `packDir` and waits for it to listen (`timeoutMs` covers ts-node's type-check). */
  static start(packDir: string, timeoutMs = 60000): Promise<PolicyPackProcess> {
    return PolicyPackProcess.launch(packDir, timeoutMs).ready;
  }

  /** Starts the pack and returns at once (packProcess.ts's launchPack), with a client for it. */
  static launch(packDir: string, timeoutMs = 60000): PackLaunch<PolicyPackProcess> {
    return launchPack(packDir, PolicyPackProcess.connect, timeoutMs);
  }

  /** A client for a pack that listens on `port`. */
  static connect(spawned: SpawnedPack, port: number): PolicyPackProcess {
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyPackProcess(spawned, client);
  }

  /**
   * Runs `session` (configure, then analyze) with this pack to itself: the pack holds one
   * configuration at a time, so two verdicts on one pack must not interleave.
   */
  exclusive<T>(session: () => Promise<T>): Promise<T> {
    const result = this.sessions.then(session);
    this.sessions = result.catch(() => undefined);
    return result;
  }

  /**
   * Lets this process exit while the pack runs, and stops the pack when it does: for a pack
   * shared by many callers that none of them stops.
   */
  stopAtExit(): void {
    this.spawned.child.unref();
    for (const stream of [this.spawned.child.stdout, this.spawned.child.stderr])
      (stream as { unref?(): void } | null)?.unref?.();
    process.once("exit", () => this.spawned.child.kill());
  }

  /** What the pack declares: asked once, as it cannot change while the process runs. */
  info(): Promise<PackInfo> {
    this.declared ??= this.askInfo();
    // A failed call is not kept: the next caller asks again.
    this.declared.catch(() => (this.declared = undefined));
    return this.declared;
  }

  private async askInfo(): Promise<PackInfo> {
    const info = await this.call<analyzerproto.AnalyzerInfo>((cb) =>
      this.client.getAnalyzerInfo(new emptyproto.Empty(), cb),
    );
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          enforcementLevel: LEVELS[p.getEnforcementlevel()],
          configSchema: schema
            ? {
                properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                required: schema.getRequiredList(),
              }
            : undefined,
        };
      }),
    };
  }

  async configure(settings: Map<string, PolicySettings>): Promise<void> {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, s] of settings) {
      const config = new analyzerproto.PolicyConfig();
      config.setEnforcementlevel(LEVEL_CODES[s.enforcementLevel]);
      config.setProperties(structproto.Struct.fromJavaScript(s.properties as Record<string, never>));
      map.set(name, config);
    }
    await this.call((cb) => this.client.configure(req, cb));
  }

  async configureStack(run: ProgramRun): Promise<void> {
    const req = new analyzerproto.AnalyzerStackConfigureRequest();
    req.setStack(run.settings.stack);
    req.setProject(run.settings.project);
    req.setDryRun(true);
    const config = req.getConfigMap();
    for (const [k, v] of Object.entries(run.settings.config)) config.set(k, v);
    await this.call((cb) => this.client.configureStack(req, cb));
  }

  /**
   * Analyze for each resource, then AnalyzeStack: the order of a `pulumi preview`. The Analyze
   * calls are in flight together (each judges one resource alone, so none waits for another's
   * answer); their diagnostics keep the resources' order.
   */
  async analyze(run: ProgramRun): Promise<Diagnostic[]> {
    const all = withEngineResources(run);
    const answers = await Promise.all(
      all.map((r) => {
        const req = describe(new analyzerproto.AnalyzeRequest(), r, run);
        return this.call<analyzerproto.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
      }),
    );
    const diagnostics = answers.flatMap((resp, i) =>
      resp.getDiagnosticsList().map((d) => diagnosticOf(d, all[i].urn)),
    );
    const stackReq = new analyzerproto.AnalyzeStackRequest();
    stackReq.setResourcesList(
      all.map((r) => {
        const res = describe(new analyzerproto.AnalyzerResource(), r, run);
        res.setParent(r.parent ?? "");
        res.setDependenciesList(r.dependencies);
        const deps = res.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
          const d = new analyzerproto.AnalyzerPropertyDependencies();
          d.setUrnsList(urns);
          deps.set(k, d);
        }
        return res;
      }),
    );
    const resp = await this.call<analyzerproto.AnalyzeResponse>((cb) =>
      this.client.analyzeStack(stackReq, cb),
    );
    diagnostics.push(...resp.getDiagnosticsList().map((d) => diagnosticOf(d)));
    return diagnostics;
  }

  /** The pack process's peak resident memory in KiB, where /proc tells it (Linux). */
  peakRssKb(): number | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.spawned.child.pid}/status`, "utf8");
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stops the pack; resolves once its process has exited (and so been reaped). */
  stop(): Promise<void> {
    this.client.close();
    return stopPack(this.spawned);
  }

  private call<T>(invoke: (cb: (err: grpc.ServiceError | null, resp: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      invoke((err, resp) =>
        err
          ? reject(new Error(`policy pack: ${err.details || err.message}\n${this.spawned.stderr()}`))
          : resolve(resp),
      ),
    );
  }
}

/**
 * The engine's view of a stack also holds the root Stack resource (parent of everything the
 * program did not parent) and the default provider; the mock runtime registers neither.
 */
function withEngineResources(run: ProgramRun): RecordedResource[] {
  const { stack, project } = run.settings;
  const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const root: RecordedResource = {
    urn: stackUrn,
    type: "pulumi:pulumi:Stack",
    name: `${project}-${stack}`,
    custom: false,
    dependencies: [],
    propertyDependencies: {},
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    inputs: {},
  };
  const provider: RecordedResource = {
    ...root,
    urn: run.provider.urn,
    type: run.provider.type,
    name: run.provider.name,
    custom: true,
    parent: stackUrn,
    inputs: run.provider.inputs,
  };
  return [root, provider, ...run.resources.map((r) => ({ ...r, parent: r.parent ?? stackUrn }))];
}

/** The fields AnalyzeRequest and AnalyzeStack's AnalyzerResource share. */
function describe<M extends analyzerproto.AnalyzeRequest | analyzerproto.AnalyzerResource>(
  message: M,
  r: RecordedResource,
  run: ProgramRun,
): M {
  message.setType(r.type);
  message.setUrn(r.urn);
  message.setName(r.name);
  message.setProperties(struct(r.inputs));
  message.setOptions(optionsOf(r));
  // Custom resources name their provider; components and the engine's own resources do not.
  if (r.custom && !r.type.startsWith("pulumi:")) message.setProvider(providerOf(run));
  return message;
}

function providerOf(run: ProgramRun): analyzerproto.AnalyzerProviderResource {
  const p = new analyzerproto.AnalyzerProviderResource();
  p.setType(run.provider.type);
  p.setUrn(run.provider.urn);
  p.setName(run.provider.name);
  p.setProperties(struct(run.provider.inputs));
  return p;
}

function optionsOf(r: RecordedResource): analyzerproto.AnalyzerResourceOptions {
  const o = new analyzerproto.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setParent(r.parent ?? "");
  o.setDeletebeforereplace(r.deleteBeforeReplace);
  o.setDeletebeforereplacedefined(r.deleteBeforeReplace);
  return o;
}

function struct(value: Record<string, unknown>) {
  return structproto.Struct.fromJavaScript(value as Record<string, never>);
}

function diagnosticOf(d: analyzerproto.AnalyzeDiagnostic, urn?: string): Diagnostic {
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    message: d.getMessage(),
    description: d.getDescription(),
    urn: d.getUrn() || urn,
  };
}
