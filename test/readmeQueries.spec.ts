/**
 * docs/querying.md lists the named queries the component saves and sends readers to
 * `npm run query -- --list` for their SQL, which is generated and so never copied into the docs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { eventsTableFor } from "../collector/analytics/eventsTable";
import { EVENTS_VIEW } from "../collector/analytics/eventsView";
import { namedQueries } from "../collector/analytics/namedQueries";
import { PROJECT_DIR } from "../offline/paths";

const page = fs.readFileSync(path.join(PROJECT_DIR, "docs/querying.md"), "utf8");
const section = page.split("\n## The named queries\n")[1]?.split("\n## ")[0] ?? "";

describe("docs/querying.md's named queries", () => {
  it("are the component's, each once, in order", () => {
    const listed = [...section.matchAll(/^- `([\w-]+)`: /gm)].map((m) => m[1]);
    assert.deepStrictEqual(
      listed,
      namedQueries(eventsTableFor(EVENTS_VIEW, "v2")).map((q) => q.name),
      "list each query of collector/analytics/namedQueries.ts as - `name`: what it answers",
    );
  });

  it("leave the SQL to npm run query -- --list instead of copying it", () => {
    assert.match(section, /`npm run query -- --list`/);
    const blocks = [...page.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    // The one SQL block is the first query, hand-written; generated SQL goes stale in a page.
    assert.deepStrictEqual(blocks, ["SELECT event, page_url, se_category, unstruct_event FROM events"]);
  });

  it("open with the first query on the events view, and send readers to --columns for the columns", () => {
    const first = page.split("\n## ")[1] ?? "";
    assert.match(first, /^The first query\n/);
    assert.match(first, /SELECT event, page_url, se_category, unstruct_event FROM events/);
    assert.match(first, /`npm run query -- --columns`/);
  });
});
