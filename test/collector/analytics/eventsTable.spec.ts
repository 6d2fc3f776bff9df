import * as assert from "assert";
import {
  columnsFor,
  FIRST_PARTITION_YEAR,
  legacyColumns,
  V2OutputFormat,
  v2PartitionKeys,
  v2ProjectionParameters,
} from "../../../collector/analytics/eventsTable";
import { LOG_OUTPUT_FORMATS } from "../../../collector/config/args";
import { storageFor } from "../../../collector/analytics/glueTable";
import {
  FIELD_SETS,
  LEGACY_FIELD_NAMES,
  logField,
  resolveRecordFields,
} from "../../../collector/eventLogs/logFields";
import { V2_SUFFIX_PATH, v2KeyPrefix } from "../../../collector/eventLogs/logLayout";

const BUCKET = "collector-logs-a1b2c3";
const PREFIX = "cloudfront/prod/";
const DIST = "E2EXAMPLE1234";
const FORMATS: V2OutputFormat[] = [...LOG_OUTPUT_FORMATS];

/**
 * Athena's partition projection, as its documentation defines the three types used here: `enum`
 * (the listed values), `integer` (range, zero-padded to `digits`) and `date` (range up to NOW,
 * formatted with a Java date pattern; only `yyyy` is needed). Returns the values it projects.
 */
function projectedValues(params: Record<string, string>, key: string, now: Date): string[] {
  const p = (name: string) => params[`projection.${key}.${name}`];
  switch (p("type")) {
    case "enum":
      return p("values").split(",");
    case "integer": {
      const [from, to] = p("range").split(",").map(Number);
      const digits = Number(p("digits") ?? "1");
      return Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(digits, "0"));
    }
    case "date": {
      assert.strictEqual(p("format"), "yyyy", "this emulation knows the year format only");
      assert.deepStrictEqual([p("interval"), p("interval.unit")], ["1", "YEARS"]);
      const [from, to] = p("range").split(",");
      const last = to === "NOW" ? now.getUTCFullYear() : Number(to);
      return Array.from({ length: last - Number(from) + 1 }, (_, i) => String(Number(from) + i));
    }
    default:
      throw new Error(`projection type ${p("type")} for ${key}`);
  }
}

/** The location Athena builds for one partition: the template with each `${key}` filled in. */
function location(params: Record<string, string>, values: Record<string, string>): string {
  return params["storage.location.template"].replace(/\$\{([^}]+)\}/g, (_, k: string) => values[k]);
}

describe("the events table", () => {
  describe("columns equal the delivery's record fields in every mode", () => {
    it("legacy: the catalogue's 33 legacy fields in AWS's order, with the catalogue's types", () => {
      assert.deepStrictEqual(
        legacyColumns(),
        LEGACY_FIELD_NAMES.map((n) => ({ name: logField(n)?.column, type: logField(n)?.athenaType })),
      );
      assert.strictEqual(legacyColumns().length, 33);
    });

    for (const set of [
      "privacy",
      "all",
      "date,time,cs-method,cs-uri-stem,sc-status,cs-uri-query,c-country",
    ]) {
      for (const format of FORMATS) {
        it(`v2 ${format}, record fields ${set.includes(",") ? "an explicit list" : set}`, () => {
          const resolved = resolveRecordFields(set);
          assert.ok(resolved.fields, resolved.problem);
          const columns = columnsFor(resolved.fields, format);
          assert.deepStrictEqual(
            columns.map((c) => c.name),
            resolved.fields.map((f) => logField(f)?.column),
          );
          for (const [i, c] of columns.entries()) {
            assert.strictEqual(
              c.type,
              format === "w3c" ? logField(resolved.fields[i])?.athenaType : "string",
            );
          }
        });
      }
    }

    it("the privacy set's table has no IP, port or cookie column", () => {
      const names = columnsFor(FIELD_SETS.privacy, "json").map((c) => c.name);
      for (const gone of ["c_ip", "x_forwarded_for", "cs_cookie", "c_port"])
        assert.ok(!names.includes(gone), gone);
      assert.ok(names.includes("c_country"));
    });

    it("JSON maps each column to its AWS key; text formats split on the delivery's delimiter", () => {
      const fields = FIELD_SETS.privacy;
      const json = storageFor(
        { layout: "v2", recordFields: fields, outputFormat: "json", fieldDelimiter: "" },
        columnsFor(fields, "json"),
      );
      assert.strictEqual(json.serDeInfo.serializationLibrary, "org.openx.data.jsonserde.JsonSerDe");
      assert.strictEqual(json.serDeInfo.parameters["mapping.cs_user_agent"], "cs(User-Agent)");
      assert.strictEqual(json.serDeInfo.parameters["mapping.timestamp_ms"], "timestamp(ms)");
      assert.strictEqual(json.serDeInfo.parameters["case.insensitive"], "false");
      assert.strictEqual(Object.keys(json.serDeInfo.parameters).length, fields.length + 1);
      const w3c = storageFor(
        { layout: "v2", recordFields: fields, outputFormat: "w3c", fieldDelimiter: "\t" },
        columnsFor(fields, "w3c"),
      );
      assert.strictEqual(w3c.serDeInfo.parameters["field.delim"], "\t");
      assert.strictEqual(w3c.tableParameters["skip.header.line.count"], undefined);
    });
  });

  describe("partition projection over the v2 layout", () => {
    const params = v2ProjectionParameters(DIST, BUCKET, PREFIX);
    const keys = v2PartitionKeys(DIST).map((k) => k.name);

    it("projects every partition the template names, and only those", () => {
      const named = [...params["storage.location.template"].matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
      assert.deepStrictEqual(named, keys);
      assert.deepStrictEqual(keys, ["distributionid", "year", "month", "day", "hour"]);
      for (const k of keys) assert.ok(params[`projection.${k}.type`], k);
      assert.strictEqual(params["projection.enabled"], "true");
    });

    it("hours run 00 to 23 and the year range does not run out", () => {
      const now = new Date(Date.UTC(2031, 5, 1));
      assert.deepStrictEqual(
        projectedValues(params, "hour", now),
        Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0")),
      );
      const years = projectedValues(params, "year", now);
      assert.strictEqual(years[0], String(FIRST_PARTITION_YEAR));
      assert.strictEqual(years.at(-1), "2031", "NOW moves the end with the clock");
      assert.strictEqual(params["projection.year.range"], `${FIRST_PARTITION_YEAR},NOW`);
    });

    it("keys the delivery's suffix path generates resolve to partitions Athena projects", () => {
      const now = new Date(Date.UTC(2027, 0, 2));
      const projected = Object.fromEntries(keys.map((k) => [k, new Set(projectedValues(params, k, now))]));
      // Every hour across a year end and a leap day, as the delivery writes them (Hive style).
      const starts = [Date.UTC(2025, 11, 31), Date.UTC(2024, 1, 29), Date.UTC(2026, 10, 30)];
      let checked = 0;
      for (const start of starts) {
        for (let h = 0; h < 48; h++) {
          const time = new Date(start + h * 3_600_000);
          const key = v2KeyPrefix(PREFIX, { distributionId: DIST, time }, V2_SUFFIX_PATH);
          const values = Object.fromEntries([...key.matchAll(/([a-z]+)=([^/]+)/g)].map((m) => [m[1], m[2]]));
          assert.deepStrictEqual(Object.keys(values), keys, key);
          for (const k of keys)
            assert.ok(projected[k].has(values[k]), `${k}=${values[k]} of ${key} is not projected`);
          assert.strictEqual(location(params, values), `s3://${BUCKET}/${key}`);
          checked += 1;
        }
      }
      assert.strictEqual(checked, 144);
    });

    it("a key under another prefix or bucket is not a projected location", () => {
      const time = new Date(Date.UTC(2026, 10, 30, 9));
      const key = v2KeyPrefix("cloudfront/dev/", { distributionId: DIST, time });
      const values = Object.fromEntries([...key.matchAll(/([a-z]+)=([^/]+)/g)].map((m) => [m[1], m[2]]));
      assert.notStrictEqual(location(params, values), `s3://${BUCKET}/${key}`);
    });
  });
});
