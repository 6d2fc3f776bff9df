// Runs a policy the way @pulumi/policy's analyzer server does (proxied props, a reportViolation that
// collects, getConfig returning exactly the given config) and asserts on what it reported.
import * as assert from "assert";

import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  UnknownValueError,
} from "@pulumi/policy";

import { StackFixture } from "./fixtures";

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
export type Config = Record<string, unknown>;

export interface Violation {
  message: string;
  /** The resource reported against (a resource policy's own resource). */
  urn?: string;
}

class NotApplicable extends Error {}

function isStackPolicy(p: AnyPolicy): p is StackValidationPolicy {
  return "validateStack" in p && typeof p.validateStack === "function";
}

/**
 * The violations a policy reports for a stack. A policy that reads an unknown value through the
 * props proxy fails the test: the server would turn that into an advisory note and enforce nothing.
 */
export async function violations(
  policy: AnyPolicy,
  stack: StackFixture,
  config: Config = {},
): Promise<Violation[]> {
  const resources = stack.build();
  const found: Violation[] = [];
  const getConfig = <T extends object>() => ({ ...config }) as T;
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  try {
    if (isStackPolicy(policy)) {
      await policy.validateStack(
        { resources, getConfig, notApplicable, stackTags: new Map() },
        (message, urn) => found.push({ message, urn }),
      );
    } else {
      const validations = [policy.validateResource ?? []].flat();
      for (const r of resources) {
        for (const validate of validations) {
          await validate(resourceArgs(r, getConfig, notApplicable), (message) =>
            found.push({ message, urn: r.urn }),
          );
        }
      }
    }
  } catch (e) {
    // proxy.d.ts strips this class's typings (it is @internal), so it arrives untyped.
    if (e instanceof UnknownValueError) {
      assert.fail(`${policy.name} read an unknown value through the props proxy: ${(e as Error).message}`);
    }
    if (!(e instanceof NotApplicable)) {
      throw e;
    }
  }
  return found;
}

function resourceArgs(
  r: PolicyResource,
  getConfig: <T extends object>() => T,
  notApplicable: (reason?: string) => never,
): ResourceValidationArgs {
  return {
    type: r.type,
    props: r.props,
    urn: r.urn,
    name: r.name,
    opts: r.opts,
    provider: r.provider,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig,
    notApplicable,
  };
}

function listing(vs: Violation[]): string {
  return vs.length === 0 ? "(none)" : vs.map((v) => `  - ${v.message} [${v.urn ?? "stack"}]`).join("\n");
}

export interface Expect {
  config?: Config;
  /** The logical name of the resource the violation must be reported against. */
  on?: string;
}

/** Asserts the policy reports a violation matching `pattern` (against resource `on`, if given). */
export async function assertViolates(
  policy: AnyPolicy,
  stack: StackFixture,
  pattern: RegExp,
  expect: Expect = {},
): Promise<Violation[]> {
  const vs = await violations(policy, stack, expect.config);
  const urn = expect.on === undefined ? undefined : stack.urn(stack.get(expect.on));
  const hit = vs.find((v) => pattern.test(v.message) && (urn === undefined || v.urn === urn));
  assert.ok(
    hit,
    `expected ${policy.name} to report ${pattern}${expect.on ? ` on "${expect.on}"` : ""}; it reported:\n${listing(vs)}`,
  );
  return vs;
}

/** Asserts the policy reports nothing. */
export async function assertPasses(
  policy: AnyPolicy,
  stack: StackFixture,
  config: Config = {},
): Promise<void> {
  const vs = await violations(policy, stack, config);
  assert.deepStrictEqual(vs, [], `expected ${policy.name} to pass; it reported:\n${listing(vs)}`);
}
