/**
 * The table and the log delivery, declared by one program run, agree in every logging mode: the
 * consistency the issue asks for, read off the resources the engine would create.
 */
import * as assert from "assert";
import { logField } from "../../../collector/eventLogs/logFields";
import { renderSuffixPath } from "../../../collector/eventLogs/logLayout";
import { all, get, one, runStack, T } from "../../harness";

const TABLE = "aws:glue/catalogTable:CatalogTable";
const DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
const DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";

const MODES: Record<string, Record<string, string>> = {
  legacy: { loggingMode: "legacy" },
  "v2 json, privacy fields": { loggingMode: "v2", logOutputFormat: "json", recordFields: "privacy" },
  "v2 w3c, privacy fields": { loggingMode: "v2", logOutputFormat: "w3c", recordFields: "privacy" },
  "v2 json, all fields": { loggingMode: "v2", logOutputFormat: "json", recordFields: "all" },
  "v2 w3c, an explicit list": {
    loggingMode: "v2",
    logOutputFormat: "w3c",
    recordFields: "date,time,cs-method,cs-uri-stem,cs-uri-query,sc-status,c-country",
  },
};

describe("the events table and the log delivery agree", () => {
  for (const [mode, overrides] of Object.entries(MODES)) {
    it(mode, async () => {
      const run = await runStack("prod", overrides);
      const table = one(run, TABLE, (r) => r.inputs.tableType === "EXTERNAL_TABLE");
      const columns = (get(table, "storageDescriptor", "columns") as { name: string }[]).map((c) => c.name);
      const serde = get(table, "storageDescriptor", "serDeInfo") as {
        serializationLibrary: string;
        parameters: Record<string, string>;
      };
      const location = String(get(table, "storageDescriptor", "location"));

      if (overrides.loggingMode === "legacy") {
        assert.strictEqual(all(run, DELIVERY).length, 0);
        const prefix = get(one(run, T.distribution), "loggingConfig", "prefix");
        assert.strictEqual(location, `s3://<collector-logs.bucket>/${String(prefix)}`);
        assert.strictEqual(serde.parameters["field.delim"], "\t");
        assert.deepStrictEqual(get(table, "partitionKeys"), []);
        return;
      }

      const delivery = one(run, DELIVERY);
      const recordFields = get(delivery, "recordFields") as string[];
      assert.deepStrictEqual(
        columns,
        recordFields.map((f) => logField(f)?.column),
        "columns = record fields",
      );

      const format = get(one(run, DESTINATION), "outputFormat");
      if (format === "json") {
        assert.strictEqual(serde.serializationLibrary, "org.openx.data.jsonserde.JsonSerDe");
        assert.deepStrictEqual(
          columns.map((c) => serde.parameters[`mapping.${c}`]),
          recordFields,
          "each column reads its field's JSON key",
        );
      } else {
        assert.strictEqual(format, "w3c");
        assert.strictEqual(serde.serializationLibrary, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
        assert.strictEqual(serde.parameters["field.delim"], get(delivery, "fieldDelimiter"));
        // One header line or two: the SQL drops `#` lines, no fixed count may eat a data line.
        assert.strictEqual(get(table, "parameters", "skip.header.line.count"), undefined);
      }

      // The key the delivery writes for one hour is the location the projection builds for it.
      const s3 = get(delivery, "s3DeliveryConfigurations", 0) as {
        suffixPath: string;
        enableHiveCompatiblePath: boolean;
      };
      const time = new Date(Date.UTC(2026, 10, 30, 0));
      const distributionId = String(get(table, "parameters", "projection.distributionid.values"));
      const suffix = renderSuffixPath(s3.suffixPath, { distributionId, time }, s3.enableHiveCompatiblePath);
      const values = Object.fromEntries([...suffix.matchAll(/([a-z]+)=([^/]+)/g)].map((m) => [m[1], m[2]]));
      const template = String(get(table, "parameters", "storage.location.template"));
      const filled = template.replace(/\$\{([^}]+)\}/g, (_, k: string) => values[k]);
      assert.strictEqual(filled, `${location.replace(/\/$/, "")}/${suffix.replace(/^\/|\/$/g, "")}/`);
      assert.deepStrictEqual(
        (get(table, "partitionKeys") as { name: string }[]).map((k) => k.name),
        Object.keys(values),
      );
    });
  }
});
