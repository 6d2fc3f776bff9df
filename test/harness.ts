/**
 * Shared helpers for the program's specs: run the real program for a stack file (optionally with
 * config overrides) under the mock runtime, and find what it declared.
 */
import * as assert from "assert";
import { ComputedValues, ProgramError, ProgramRun, RecordedResource, runProgram } from "../offline/mockRun";
import { PROJECT_DIR } from "../offline/paths";
import { loadStackSettings } from "../offline/stackConfig";

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  acl: "aws:s3/bucketAcl:BucketAcl",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  distribution: "aws:cloudfront/distribution:Distribution",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  component: "cloudfront-collector:index:Collector",
} as const;

// runProgram queues runs itself (the mock runtime is process-wide); this keeps each one's result.
const runs = new Map<string, Promise<ProgramRun>>();

/**
 * Runs index.ts (or `program`) with the stack's config plus `overrides` (bare keys are the
 * project's). Specs only read a run, so each distinct run happens once per mocha process.
 */
export function runStack(
  stack: string,
  overrides: Record<string, string> = {},
  computed: ComputedValues = "stand-in",
  program?: string,
): Promise<ProgramRun> {
  const key = JSON.stringify([stack, overrides, computed, program]);
  let run = runs.get(key);
  if (!run) {
    run = freshRun(stack, overrides, computed, program);
    runs.set(key, run);
    // A failed run is not kept: the next caller sees the failure afresh.
    run.catch(() => runs.delete(key));
  }
  return run;
}

async function freshRun(
  stack: string,
  overrides: Record<string, string>,
  computed: ComputedValues,
  program: string | undefined,
): Promise<ProgramRun> {
  const settings = loadStackSettings(PROJECT_DIR, stack);
  for (const [key, value] of Object.entries(overrides)) {
    settings.config[key.includes(":") ? key : `${settings.project}:${key}`] = value;
  }
  return runProgram({ settings, computed, program });
}

export function all(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function one(run: ProgramRun, type: string, where: (r: RecordedResource) => boolean = () => true) {
  const found = all(run, type).filter(where);
  assert.strictEqual(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
}

/** The bucket the component tagged with `role`. */
export function bucket(run: ProgramRun, role: "pixel" | "logs" | "query-results"): RecordedResource {
  return one(run, T.bucket, (r) => tagsOf(r)["cloudfront-collector:role"] === role);
}

/** The side resource of `type` whose `bucket` input comes from `owner`. */
export function sideOf(run: ProgramRun, type: string, owner: RecordedResource): RecordedResource {
  return one(run, type, (r) => (r.propertyDependencies.bucket ?? []).includes(owner.urn));
}

/** Every resource whose `bucket` input comes from `owner`, of whatever type. */
export function attachedTo(run: ProgramRun, owner: RecordedResource): RecordedResource[] {
  return run.resources.filter((r) => (r.propertyDependencies.bucket ?? []).includes(owner.urn));
}

export function tagsOf(r: RecordedResource): Record<string, string> {
  return (r.inputs.tags ?? {}) as Record<string, string>;
}

/** Reads a nested input by path, e.g. get(r, "loggingConfig", "bucket"). */
export function get(r: RecordedResource, ...path: (string | number)[]): unknown {
  let v: unknown = r.inputs;
  for (const p of path)
    v = v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[p];
  return v;
}

/** Expects running the program to fail with a message matching every pattern, declaring nothing. */
export async function assertRejected(
  stack: string,
  overrides: Record<string, string>,
  ...patterns: RegExp[]
): Promise<string> {
  let run: ProgramRun | undefined;
  try {
    run = await runStack(stack, overrides);
  } catch (e) {
    assert.ok(e instanceof ProgramError, `unexpected failure: ${(e as Error).stack}`);
    assert.deepStrictEqual(
      e.resources.map((r) => r.name),
      [],
      "a rejected config must stop the program before any resource is declared",
    );
    for (const p of patterns) assert.match(e.message, p);
    // Words of the code, not of the user: a message never shows them.
    assert.doesNotMatch(e.message, /undefined|\(set\)/, "no undefined or (set) in a message");
    return e.message;
  }
  assert.fail(
    `expected the program to reject ${JSON.stringify(overrides)}, but it declared ${run.resources.length} resources`,
  );
}
