/**
 * What `verify --logs` says about the first real v2 file it reads: which of the answers AWS does
 * not document it gave (format, encoding, layout), whether the fields are the declared ones, and
 * whether the Athena table, as declared, would read the file at all.
 */
import { LogOutputFormat } from "../collector/config/args";
import { FileReadReport } from "./accessLog";
import { tableBaseOf, v2KeyPattern } from "./landedLogs";

export interface FirstFileFacts {
  readonly bucket: string;
  readonly key: string;
  readonly report: FileReadReport;
  /** The field names the file's records carry, in file order. */
  readonly fields: readonly string[];
  readonly distributionId?: string;
  /** What the stack declares; undefined where verify was not given stack outputs. */
  readonly declared: {
    readonly recordFields?: readonly string[];
    readonly outputFormat?: LogOutputFormat;
    /** The key prefix the table's location starts from (logTablePrefix, or logPrefix). */
    readonly tablePrefix: string;
  };
}

export interface FirstFileCheck {
  /** `ok` / `info` / `FAIL` lines, in the order verify prints them. */
  readonly lines: readonly string[];
  /** The table would read no row of this file (or misread every one): verify exits non-zero. */
  readonly tableMissesIt: boolean;
}

const list = (names: readonly string[]) => (names.length === 0 ? "none" : names.join(", "));

export function checkFirstFile(facts: FirstFileFacts): FirstFileCheck {
  const { report, declared } = facts;
  const lines: string[] = [];
  let misses = false;
  const fail = (line: string, ...more: string[]) => {
    misses = true;
    lines.push(`FAIL ${line}`, ...more.map((m) => `       ${m}`));
  };
  lines.push(
    `info first file s3://${facts.bucket}/${facts.key}: ${report.format ?? "no records"}, ` +
      `${report.records} record(s), query strings ${report.encoding ?? "not seen"}`,
  );
  if (report.encoding === "neither") {
    fail("its query strings fit neither encoding: the reader keeps them as logged; look at the file");
  }

  const tableBase = tableBaseOf(declared.tablePrefix);
  const landed =
    facts.distributionId === undefined ? undefined : v2KeyPattern(facts.distributionId).exec(facts.key)?.[1];
  if (landed === tableBase) {
    lines.push(`ok   layout: under ${tableBase}distributionid=.../year=.../hour=..., where the table reads`);
  } else if (landed !== undefined) {
    fail(
      `layout: the file is under ${landed}distributionid=..., the table reads ${tableBase}distributionid=...:`,
      `it would read none of it. Fix: pulumi config set logTablePrefix ${landed}, then pulumi up.`,
    );
  } else {
    fail(
      `layout: ${facts.key} is not in the partition path the table reads (${tableBase}distributionid=...)`,
    );
  }

  if (
    declared.outputFormat !== undefined &&
    report.format !== undefined &&
    report.format !== declared.outputFormat
  ) {
    fail(
      `format: the file is ${report.format}, the table's SerDe reads ${declared.outputFormat}: it would read no row.`,
      `Fix: set logOutputFormat to ${report.format}, or recreate the delivery (its format is fixed at creation).`,
    );
  }

  if (declared.recordFields !== undefined && facts.fields.length > 0) {
    const missing = declared.recordFields.filter((f) => !facts.fields.includes(f));
    const extra = facts.fields.filter((f) => !declared.recordFields?.includes(f));
    if (missing.length === 0 && extra.length === 0) {
      lines.push(`ok   fields: the ${facts.fields.length} declared recordFields, no more`);
    } else {
      lines.push(
        `info fields: declared but absent (NULL in the table): ${list(missing)}; present but not declared: ${list(extra)}`,
      );
    }
    // W3C columns are read by position: another order shifts every value into the wrong column.
    const inFile = facts.fields.filter((f) => declared.recordFields?.includes(f));
    const inTable = declared.recordFields.filter((f) => facts.fields.includes(f));
    if (
      report.format === "w3c" &&
      (missing.length > 0 || extra.length > 0 || inFile.join() !== inTable.join())
    ) {
      fail(
        "fields: a W3C file is read by position, and its #Fields are not the table's columns in order: every row would be misread",
      );
    }
    if (!facts.fields.includes("cs-uri-query")) {
      fail("fields: no cs-uri-query: tracker events travel in the query string; add it to recordFields");
    }
  }
  return { lines, tableMissesIt: misses };
}
