/**
 * The README shows the named queries as the component saves them (for the v2 table): keep it true.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EVENTS_TABLE, eventsTableFor } from "../collector/analytics/eventsTable";
import { namedQueries } from "../collector/analytics/namedQueries";
import { PROJECT_DIR } from "../offline/paths";

describe("the README's named queries", () => {
  it("are the generated SQL, in order", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.split("### The named queries")[1]?.split("\n### ")[0] ?? "";
    const blocks = [...section.matchAll(/```sql\n([\s\S]*?);\n```/g)].map((m) => m[1]);
    assert.deepStrictEqual(
      blocks,
      namedQueries(eventsTableFor(EVENTS_TABLE, "v2")).map((q) => q.sql),
      "regenerate the README blocks from collector/analytics/namedQueries.ts",
    );
  });
});
