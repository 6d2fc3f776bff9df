import * as assert from "assert";
import {
  columnsFor,
  EVENTS_TABLE,
  eventsTableFor,
  legacyColumns,
  TableLayout,
  v2PartitionKeys,
} from "../../../collector/analytics/eventsTable";
import { FIELD_SETS } from "../../../collector/eventLogs/logFields";
import { findNamedQuery, namedQueries, QUERY_FIELDS } from "../../../collector/analytics/namedQueries";
import { DECODED_COLUMNS, PATH_COLUMN } from "../../../collector/analytics/requestDecoding";
import { trinoSyntaxErrors } from "../../support/trinoParser";

const LAYOUTS: TableLayout[] = ["legacy", "v2"];

/** The columns (and partition keys) a table of each layout has, with the narrowest v2 field set. */
function tableColumns(layout: TableLayout): Set<string> {
  if (layout === "legacy") return new Set(legacyColumns().map((c) => c.name));
  return new Set([
    ...columnsFor(FIELD_SETS.privacy, "json").map((c) => c.name),
    ...v2PartitionKeys("E1").map((k) => k.name),
  ]);
}

describe("the named queries", () => {
  it("are the four a Snowplow user wants on day one", () => {
    assert.deepStrictEqual(
      namedQueries(eventsTableFor(EVENTS_TABLE, "legacy")).map((q) => q.name),
      ["events-per-hour", "event-by-eid", "top-pages", "self-describing-events-by-schema"],
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
      const queries = namedQueries(eventsTableFor(EVENTS_TABLE, layout));
      for (const q of queries) {
        it(`${q.name} parses as Trino SQL`, () => {
          assert.deepStrictEqual(trinoSyntaxErrors(q.sql), [], q.sql);
        });

        it(`${q.name} names only columns the ${layout} table has`, () => {
          const columns = tableColumns(layout);
          // String literals first: a regular expression in one may hold a `"`.
          const code = q.sql.replace(/'(?:[^']|'')*'/g, "''");
          const quoted = [...code.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
          assert.ok(quoted.length > 0);
          const added = new Set<string>([PATH_COLUMN, ...Object.values(DECODED_COLUMNS)]);
          const unknown = quoted.filter((c) => c !== EVENTS_TABLE && !columns.has(c) && !added.has(c));
          assert.deepStrictEqual(unknown, [], `not columns of the ${layout} table`);
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

  it("read only fields that every logging mode's field set keeps", () => {
    for (const field of QUERY_FIELDS) {
      assert.ok(FIELD_SETS.privacy.includes(field), `${field} is in the privacy set`);
    }
  });

  it("limit a v2 query to its days' partitions, and a legacy one by date only", () => {
    const v2 = findNamedQuery(namedQueries(eventsTableFor(EVENTS_TABLE, "v2")), "top-pages").sql;
    assert.match(v2, /"year" = date_format\(current_date - INTERVAL '6' DAY, '%Y'\)/);
    assert.match(v2, /"month" = month\(current_date\)/);
    assert.strictEqual(v2.match(/"day" = day\(/g)?.length, 7, "one partition term per day");
    const legacy = findNamedQuery(namedQueries(eventsTableFor(EVENTS_TABLE, "legacy")), "top-pages").sql;
    assert.doesNotMatch(legacy, /"year"/);
    assert.match(legacy, /try\(CAST\("date" AS date\)\) > current_date - INTERVAL '7' DAY/);
  });

  it("follow a renamed column: the SQL comes from the table description", () => {
    const table = eventsTableFor(EVENTS_TABLE, "legacy");
    const renamed = namedQueries({
      ...table,
      column: (f) => (f === "cs-uri-query" ? "qs" : table.column(f)),
    });
    for (const q of renamed) {
      assert.match(q.sql, /"qs"/);
      assert.doesNotMatch(q.sql, /cs_uri_query/);
    }
  });

  it("refuses an unknown name, listing the known ones", () => {
    assert.throws(
      () => findNamedQuery(namedQueries(eventsTableFor(EVENTS_TABLE, "legacy")), "top-page"),
      /no named query "top-page"; known: events-per-hour, event-by-eid, top-pages, self-describing-events-by-schema/,
    );
  });
});
