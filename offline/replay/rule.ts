/** The shape of one refusal rule: see index.ts for how to add one. */
import { RecordedResource } from "../mockRun";
import { Account } from "./account";
import { EffectContext } from "./effects";
import { Step, StepOp } from "./plan";

export interface RuleContext extends EffectContext {
  step: Step;
  /** The declaration the step applies; for a delete, what the stack held. */
  resource: RecordedResource;
  /** The account as this step finds it, in the ordering being checked. */
  account: Account;
}

/** What AWS (or the engine) answers: its error code and message. */
export interface Answer {
  code: string;
  message: string;
}

export interface Rule {
  /** Short kebab-case id, unique among the rules. */
  id: string;
  /** Where the refusal is documented or was reported: an AWS page, or a public issue. */
  source: string;
  /** The resource types and step kinds it looks at. */
  types: readonly string[];
  ops: readonly StepOp[];
  /** The refusal, when the call would be refused in this account state; otherwise undefined. */
  check(ctx: RuleContext): Answer | undefined;
}
