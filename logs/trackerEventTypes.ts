/**
 * The tracker protocol's event types, by the value of `e` (Snowplow's "Event parameters" page;
 * tracker-core's build* functions). Self-describing events (`ue`) are further told apart by the
 * schema of the event they carry.
 */
export const EVENT_TYPE_NAMES: Readonly<Record<string, string>> = {
  pv: "page view",
  pp: "page ping",
  se: "structured event",
  ue: "self-describing event",
  tr: "ecommerce transaction",
  ti: "ecommerce transaction item",
};

/** The key the reader counts an event without `e` under. */
export const NO_EVENT_TYPE = "(none)";

export function eventTypeName(code: string): string {
  if (code === NO_EVENT_TYPE) return "no event type (no e parameter)";
  return Object.hasOwn(EVENT_TYPE_NAMES, code) ? EVENT_TYPE_NAMES[code] : "unknown event type";
}

/** The name with the code it came from: `page view (e=pv)`. */
export function eventTypeLabel(code: string): string {
  return code === NO_EVENT_TYPE ? eventTypeName(code) : `${eventTypeName(code)} (e=${code})`;
}
