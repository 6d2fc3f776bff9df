/**
 * Where standard logging v2 puts log files in the log bucket: the one description of the layout
 * that the delivery, its bucket policy, the reader and the Athena table all derive from.
 *
 * AWS's rules (CloudWatch Logs "AWS-logs-infrastructure-V2-S3", "Amazon S3 object key format";
 * CloudFront "standard-logging", "Send logs to Amazon S3"):
 * - an object key starts with the destination prefix given in the destination ARN
 *   (`arn:aws:s3:::bucket/MyLogPrefix`), which replaces the default `AWSLogs/{account-id}/CloudFront/`;
 * - then the delivery's suffix path, its variables filled in: `{DistributionId}` or
 *   `{distributionid}`, `{yyyy}`, `{MM}`, `{dd}`, `{HH}`, `{accountid}`;
 * - with `enableHiveCompatiblePath` each variable is written `key=value`: `{yyyy}` as `year=2025`,
 *   `{MM}` as `month=`, `{dd}` as `day=`, `{HH}` as `hour=`, `{DistributionId}` as
 *   `DistributionId=`, `{distributionid}` as `distributionid=`, `{accountid}` as `accountid=`.
 *   (AWS's example: prefix `MyLogPrefix`, suffix `myFolderA/{yyyy}`, Hive on ->
 *   `MyLogPrefix/myFolderA/year=2025`.)
 * The file names below that path are CloudFront's own; nothing here depends on them.
 */

/**
 * The collector's suffix path: one partition per distribution and hour (UTC). `{distributionid}`
 * in lower case, because Glue expects lower-case partition names (AWS's note on partitioning).
 */
export const V2_SUFFIX_PATH = "{distributionid}/{yyyy}/{MM}/{dd}/{HH}";

/** The collector always writes Hive-style `key=value` partitions. */
export const V2_HIVE_COMPATIBLE = true;

/** The suffix-path variables CloudFront documents, and their Hive partition names. */
export const SUFFIX_VARIABLES: Readonly<Record<string, string>> = {
  DistributionId: "DistributionId",
  distributionid: "distributionid",
  yyyy: "year",
  MM: "month",
  dd: "day",
  HH: "hour",
  accountid: "accountid",
};

export interface PathValues {
  distributionId: string;
  /** Any instant in the hour the files are for; only its UTC year, month, day and hour count. */
  time: Date;
  accountId?: string;
}

function variableValue(variable: string, values: PathValues): string {
  const t = values.time;
  const two = (n: number) => String(n).padStart(2, "0");
  switch (variable) {
    case "DistributionId":
    case "distributionid":
      return values.distributionId;
    case "yyyy":
      return String(t.getUTCFullYear()).padStart(4, "0");
    case "MM":
      return two(t.getUTCMonth() + 1);
    case "dd":
      return two(t.getUTCDate());
    case "HH":
      return two(t.getUTCHours());
    case "accountid":
      if (values.accountId === undefined) throw new Error("the suffix path uses {accountid}: give accountId");
      return values.accountId;
    default:
      throw new Error(`"{${variable}}" is not a suffix-path variable CloudFront knows`);
  }
}

/** Fills in a suffix path's variables the way CloudFront does, Hive style or plain. */
export function renderSuffixPath(suffixPath: string, values: PathValues, hive: boolean): string {
  return suffixPath.replace(/\{([^}]*)\}/g, (_, variable: string) => {
    const value = variableValue(variable, values);
    return hive ? `${SUFFIX_VARIABLES[variable]}=${value}` : value;
  });
}

/**
 * The destination prefix the delivery destination's ARN carries, from the collector's `logPrefix`
 * ("cloudfront/prod/" -> "cloudfront/prod"). Empty is refused: without a prefix CloudFront adds
 * `AWSLogs/{account-id}/CloudFront/` on create and drops it on update (cloudformation-coverage-
 * roadmap #2274), and the bucket policy would no longer match the keys.
 */
export function destinationPrefix(logPrefix: string): string {
  const prefix = logPrefix.replace(/\/+$/, "");
  if (prefix === "" || prefix.startsWith("/")) {
    throw new Error(
      `logPrefix ${JSON.stringify(logPrefix)} gives no usable destination prefix for standard logging v2; ` +
        'use a non-empty prefix such as "cloudfront/prod/"',
    );
  }
  return prefix;
}

/** `arn:aws:s3:::bucket/prefix`: the delivery destination's resource ARN. */
export function destinationResourceArn(bucketArn: string, logPrefix: string): string {
  return `${bucketArn}/${destinationPrefix(logPrefix)}`;
}

/** The object ARNs the delivery may write: everything under the destination prefix. */
export function deliveryObjectArn(bucketArn: string, logPrefix: string): string {
  return `${bucketArn}/${destinationPrefix(logPrefix)}/*`;
}

/**
 * The key prefix of the files for one distribution and hour, e.g.
 * `cloudfront/prod/distributionid=E1ABC/year=2026/month=11/day=30/hour=09/`.
 */
export function v2KeyPrefix(
  logPrefix: string,
  values: PathValues,
  suffixPath: string = V2_SUFFIX_PATH,
  hive: boolean = V2_HIVE_COMPATIBLE,
): string {
  const suffix = renderSuffixPath(suffixPath, values, hive).replace(/^\/+|\/+$/g, "");
  return `${destinationPrefix(logPrefix)}/${suffix}/`;
}

/** The key prefix of one distribution's files, all hours: what a reader lists under. */
export function v2DistributionKeyPrefix(logPrefix: string, distributionId: string): string {
  const first = V2_SUFFIX_PATH.split("/")[0];
  return `${destinationPrefix(logPrefix)}/${renderSuffixPath(first, { distributionId, time: new Date(0) }, V2_HIVE_COMPATIBLE)}/`;
}

export interface HivePartition {
  /** The partition column, as Hive mode writes it into the key. */
  readonly name: string;
  readonly athenaType: "string" | "int";
  /** Zero-padded width of an integer partition value (Athena projection's `digits`). */
  readonly digits?: number;
}

/** The partitions of `V2_SUFFIX_PATH` in Hive mode, in path order (for Athena's projection). */
export const V2_PARTITIONS: readonly HivePartition[] = [
  { name: "distributionid", athenaType: "string" },
  { name: "year", athenaType: "int", digits: 4 },
  { name: "month", athenaType: "int", digits: 2 },
  { name: "day", athenaType: "int", digits: 2 },
  { name: "hour", athenaType: "int", digits: 2 },
];

/**
 * Athena's `storage.location.template` for the v2 files:
 * `s3://bucket/cloudfront/prod/distributionid=${distributionid}/year=${year}/.../hour=${hour}/`.
 */
export function storageLocationTemplate(bucket: string, logPrefix: string): string {
  const path = V2_PARTITIONS.map((p) => `${p.name}=\${${p.name}}`).join("/");
  return `s3://${bucket}/${destinationPrefix(logPrefix)}/${path}/`;
}

const V2_KEY_PATTERN = new RegExp(
  "^" +
    V2_PARTITIONS.map((p) => `${p.name}=${p.digits ? `(\\d{${p.digits}})` : "([^/]+)"}`).join("/") +
    "/([^/]+)$",
);

/** Parses the partition values back out of a v2 key, or undefined for a key not in that layout. */
export function parseV2Key(
  logPrefix: string,
  key: string,
): { distributionId: string; hour: Date; fileName: string } | undefined {
  const base = `${destinationPrefix(logPrefix)}/`;
  if (!key.startsWith(base)) return undefined;
  const m = V2_KEY_PATTERN.exec(key.slice(base.length));
  if (!m) return undefined;
  const [, distributionId, y, mo, d, h, fileName] = m;
  return { distributionId, hour: new Date(Date.UTC(+y, +mo - 1, +d, +h)), fileName };
}

const V2_PARTITION_PATH = new RegExp(
  "(^|/)" +
    V2_PARTITIONS.map((p) => `${p.name}=${p.digits ? `\\d{${p.digits}}` : "[^/]+"}`).join("/") +
    "/[^/]+$",
);

/** Whether a key (or a local path, with `/` separators) sits in v2's partition path. */
export function inV2PartitionPath(key: string): boolean {
  return V2_PARTITION_PATH.test(key);
}
