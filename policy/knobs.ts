// Policy configuration with the pack's own defaults.
//
// The Pulumi CLI fills a policy's config from its configSchema defaults, but @pulumi/policy's
// getConfig() returns {} when the pack was given no config at all (and the offline runner may not
// apply schema defaults), so each policy merges its defaults itself: no config means strictest.

export function knobs<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>();
  const merged: T = { ...defaults };
  for (const key of Object.keys(given) as (keyof T)[]) {
    const value = given[key];
    if (value !== undefined && value !== null) {
      merged[key] = value as T[keyof T];
    }
  }
  return merged;
}
