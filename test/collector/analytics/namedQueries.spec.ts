import * as assert from "assert";
import {
  EVENTS_TABLE,
  eventsTableFor,
  requestsTableFor,
  TableLayout,
} from "../../../collector/analytics/eventsTable";
import { EVENTS_VIEW, eventsViewColumns } from "../../../collector/analytics/eventsView";
import { FIELD_SETS } from "../../../collector/eventLogs/logFields";
import { findNamedQuery, namedQueries } from "../../../collector/analytics/namedQueries";
import { trinoSyntaxErrors } from "../../support/trinoParser";

const LAYOUTS: TableLayout[] = ["legacy", "v2"];
const EVENTS_TABLE_FOR = (layout: TableLayout) => eventsTableFor(EVENTS_VIEW, layout);

/** The columns the view has over a table of each layout. */
function viewColumns(layout: TableLayout): Set<string> {
  const fields = layout === "legacy" ? { layout } : { layout, recordFields: FIELD_SETS.privacy };
  return new Set(eventsViewColumns(requestsTableFor(EVENTS_TABLE, fields)).map((c) => c.name));
}

/** Identifiers in a query that are not SQL: column names, bare or quoted. */
function namesIn(sql: string): string[] {
  const noStrings = sql.replace(/'[^']*'/g, "''");
  const quoted = [...noStrings.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const bare = [...noStrings.matchAll(/\b([a-z][a-z0-9]*_[a-z0-9_]+)\b(?!\s*\()/g)].map((m) => m[1]);
  return [...quoted, ...bare];
}

describe("the named queries", () => {
  it("are the six a Snowplow user wants on day one, two of them ported from Snowplow's docs", () => {
    assert.deepStrictEqual(
      namedQueries(EVENTS_TABLE_FOR("legacy")).map((q) => q.name),
      [
        "events-per-hour",
        "event-by-eid",
        "top-pages",
        "page-views-per-day",
        "events-of-user",
        "self-describing-events-by-schema",
      ],
    );
  });

  it("the Trino parser rejects broken SQL (so a pass below means something)", () => {
    assert.notDeepStrictEqual(trinoSyntaxErrors("SELECT a FROM t WHERE b = 'x' GROUP BY"), []);
    assert.notDeepStrictEqual(
      trinoSyntaxErrors("SELECT a FROM t LIMIT 10, 20"),
      [],
      "MySQL's LIMIT is not Trino's",
    );
    assert.notDeepStrictEqual(
      trinoSyntaxErrors("SELECT a FROM t # comment"),
      [],
      "MySQL comments are not Trino",
    );
    assert.deepStrictEqual(trinoSyntaxErrors("SELECT from_base64url(x) FROM t"), []);
  });

  for (const layout of LAYOUTS) {
    describe(`over the ${layout} table`, () => {
      const queries = namedQueries(EVENTS_TABLE_FOR(layout));
      for (const q of queries) {
        it(`${q.name} parses as Trino SQL`, () => {
          assert.deepStrictEqual(trinoSyntaxErrors(q.sql), [], q.sql);
        });

        it(`${q.name} reads the view and names only its columns (over the ${layout} table)`, () => {
          assert.match(q.sql, /^FROM "events"$/m);
          const columns = viewColumns(layout);
          const names = namesIn(q.sql).filter((c) => c !== EVENTS_VIEW);
          assert.ok(names.length > 0);
          const aliases = new Set([...q.sql.matchAll(/ AS ([a-z_]+)/g)].map((m) => m[1]));
          const unknown = names.filter((c) => !columns.has(c) && !aliases.has(c) && c !== "current_date");
          assert.deepStrictEqual(unknown, [], `not columns of the view over the ${layout} table`);
        });

        it(`${q.name} reads well in a terminal and the README: no line over 100 characters`, () => {
          const long = q.sql.split("\n").filter((line) => line.length > 100);
          assert.deepStrictEqual(long, []);
        });

        it(`${q.name} has one ? per declared parameter`, () => {
          const outsideStrings = q.sql.replace(/'[^']*'/g, "''");
          assert.strictEqual((outsideStrings.match(/\?/g) ?? []).length, q.parameters.length);
        });
      }
    });
  }

  it("limit a v2 query to its days' partitions, and a legacy one by date only", () => {
    const v2 = findNamedQuery(namedQueries(EVENTS_TABLE_FOR("v2")), "top-pages").sql;
    assert.match(v2, /"year" = date_format\(current_date - INTERVAL '6' DAY, '%Y'\)/);
    assert.match(v2, /"month" = month\(current_date\)/);
    assert.strictEqual(v2.match(/"day" = day\(/g)?.length, 7, "one partition term per day");
    const legacy = findNamedQuery(namedQueries(EVENTS_TABLE_FOR("legacy")), "top-pages").sql;
    assert.doesNotMatch(legacy, /"year"/);
    assert.match(legacy, /CAST\(collector_tstamp AS date\) > current_date - INTERVAL '7' DAY/);
  });

  it("refuses an unknown name, listing the known ones", () => {
    assert.throws(
      () => findNamedQuery(namedQueries(EVENTS_TABLE_FOR("legacy")), "top-page"),
      /no named query "top-page"; known: events-per-hour, event-by-eid, top-pages, page-views-per-day, /,
    );
  });
});
