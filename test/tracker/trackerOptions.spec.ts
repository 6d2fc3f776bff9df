/**
 * Every option `npm run tracker-config` hands to `newTracker` is one the official tracker knows.
 * The tracker ignores an option it does not know, without a word, so a misspelt `credentials`
 * would silently bring back the default that breaks CORS with `*`.
 *
 * Two checks: `tsc --noEmit` (part of `npm test`) compiles this file against the installed
 * tracker's own `TrackerConfiguration` type; the spec below reads the same typings at run time, in
 * case the generated object ever carries a key its TypeScript type does not.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { TrackerConfiguration } from "@snowplow/browser-tracker";
import { trackerConfigFor } from "../../collector/edge/trackerConfig";
import { TrackerOptions, trackerOptionsFor, trackerSetupFor } from "../../commands/trackerSnippet";

// A key of TrackerOptions that TrackerConfiguration lacks makes this `false` and fails to compile.
type UnknownKeys = Exclude<keyof TrackerOptions, keyof TrackerConfiguration>;
const onlyKnownKeys: [UnknownKeys] extends [never] ? true : false = true;
// Each value must have a type the tracker accepts for that key.
const accepted: TrackerConfiguration = {} as TrackerOptions;

const SNOWPLOW = path.dirname(require.resolve("@snowplow/browser-tracker/package.json"));

/** Property names declared in a type or interface body of a .d.ts, at its first nesting level. */
function declaredProperties(file: string, opening: RegExp): Set<string> {
  const text = fs.readFileSync(file, "utf8");
  const start = text.search(opening);
  assert.ok(start >= 0, `${opening} in ${file}`);
  const names = new Set<string>();
  let depth = 0;
  for (const line of text.slice(start).split("\n")) {
    if (depth === 1) {
      const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/.exec(line);
      if (m) names.add(m[1]);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0 && names.size > 0) break;
  }
  return names;
}

function trackerConfigurationKeys(): Set<string> {
  const core = (pkg: string) =>
    path.join(
      path.dirname(require.resolve(`@snowplow/${pkg}/package.json`, { paths: [SNOWPLOW] })),
      "dist/index.module.d.ts",
    );
  return new Set([
    ...declaredProperties(core("browser-tracker-core"), /^type TrackerConfiguration = \{/m),
    ...declaredProperties(core("tracker-core"), /^interface EmitterConfigurationBase \{/m),
  ]);
}

describe("the tracker options tracker-config generates", () => {
  it("compile against the official tracker's TrackerConfiguration type", () => {
    // The real check happened in tsc; these keep the compile-time witnesses in use.
    assert.strictEqual(onlyKnownKeys, true);
    assert.ok(accepted);
  });

  for (const origins of [["*"], ["https://www.example.com"]]) {
    it(`use only options the installed tracker declares (origins ${JSON.stringify(origins)})`, () => {
      const known = trackerConfigurationKeys();
      // Sanity: the reader found the options the tracker documents.
      for (const k of ["appId", "platform", "eventMethod", "maxGetBytes", "credentials", "customHeaders"]) {
        assert.ok(known.has(k), `the typings declare ${k}`);
      }
      assert.ok(!known.has("credential"), "and nothing the reader made up");
      const setup = trackerSetupFor(trackerConfigFor("c.example.com", origins), "shop", "test");
      const options = trackerOptionsFor(setup);
      const unknown = Object.keys(options).filter((k) => !known.has(k));
      assert.deepStrictEqual(unknown, [], `options the tracker does not know: ${unknown.join(", ")}`);
    });
  }
});
