/**
 * A decoded tracker event as text, for a person reading `npm run logs --event-id` output: what
 * kind of event, on which page, with which schemas, then every parameter as sent.
 */
import { DecodedTrackerEvent } from "./trackerEvent";
import { eventTypeLabel } from "./trackerEventTypes";

const LABEL_WIDTH = 12;

export function describeTrackerEvent(event: DecodedTrackerEvent): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string): void => {
    lines.push(`  ${`${label}:`.padEnd(LABEL_WIDTH)}${value}`);
  };
  const more = (value: string): void => {
    lines.push(`  ${" ".repeat(LABEL_WIDTH)}${value}`);
  };
  add("type", eventTypeLabel(event.type.code));
  add("time", `${event.timestamp} (status ${event.status}, ${event.protocol}, ${event.edgeResultType})`);
  if (event.page?.url !== undefined) add("page", event.page.url);
  if (event.page?.title !== undefined) add("title", event.page.title);
  if (event.page?.referrer !== undefined) add("referrer", event.page.referrer);
  const structured = event.structured ?? {};
  for (const [label, value] of Object.entries(structured)) {
    if (value !== undefined) add(label, value);
  }
  if (event.selfDescribing !== undefined) {
    add("schema", event.selfDescribing.schema);
    add("data", JSON.stringify(event.selfDescribing.data));
  }
  for (const context of event.contexts) {
    add("context", context.schema);
    more(JSON.stringify(context.data));
  }
  for (const problem of event.problems) {
    add("problem", `${problem.param} does not decode: ${problem.reason}`);
    more(`raw ${problem.param}: ${problem.raw || "(empty)"}`);
  }
  add("params", JSON.stringify(event.params));
  return lines;
}
