import { requestsTableFor, EVENTS_TABLE } from "../collector/analytics/eventsTable";
import { eventsViewSql } from "../collector/analytics/eventsView";
import { trinoSyntaxErrors } from "../test/support/trinoParser";
const sql = eventsViewSql(requestsTableFor(EVENTS_TABLE, { layout: "v2", recordFields: ["date","time","cs-method","cs-uri-stem","sc-status","cs-uri-query"] }));
console.log(sql.split("\n").slice(48, 140).join("\n"));
console.log(JSON.stringify(trinoSyntaxErrors(sql)));
