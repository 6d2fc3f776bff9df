/**
 * Where a distribution's standard logging v2 files actually landed in the log bucket. The
 * collector gives the delivery an explicit prefix, but AWS has been reported to insert
 * `AWSLogs/<account-id>/CloudFront/` anyway on create (cloudformation-coverage-roadmap #2274,
 * terraform-provider-aws #40968), and the Athena table only reads the path it was told. So the
 * keys are looked for wherever such a file can be: under the log prefix, and under `AWSLogs/`.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { destinationPrefix, V2_PARTITIONS } from "../collector/eventLogs/logLayout";

/** Where files landed: the key part before `distributionid=`, and how many were seen there. */
export interface LandedBase {
  /** e.g. `cloudfront/prod/` or `cloudfront/prod/AWSLogs/111122223333/CloudFront/`. */
  readonly base: string;
  readonly files: number;
  /** The newest key seen there (keys sort by hour). */
  readonly lastKey: string;
}

/** The keys listed at most, per place looked in: enough to see a layout, cheap on a busy bucket. */
export const MAX_KEYS_LISTED = 5000;

/** AWS's own prefix for vended logs, when it adds one. */
export const AWS_DEFAULT_PREFIX = "AWSLogs/";

const escape = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

/** The pattern of a v2 key of this distribution, the base before its partitions captured. */
export function v2KeyPattern(distributionId: string): RegExp {
  const partitions = V2_PARTITIONS.map((p) =>
    p.name === "distributionid"
      ? `distributionid=${escape(distributionId)}`
      : `${p.name}=${p.digits ? `\\d{${p.digits}}` : "[^/]+"}`,
  ).join("/");
  return new RegExp(`^(.*?)${partitions}/[^/]+$`);
}

/** The key prefix the table's location template starts with, for a table prefix such as logPrefix. */
export function tableBaseOf(tablePrefix: string): string {
  return `${destinationPrefix(tablePrefix)}/`;
}

export async function findLandedBases(
  client: S3Client,
  bucket: string,
  logPrefix: string,
  distributionId: string,
): Promise<LandedBase[]> {
  const pattern = v2KeyPattern(distributionId);
  const bases = new Map<string, { files: number; lastKey: string }>();
  for (const prefix of [tableBaseOf(logPrefix), AWS_DEFAULT_PREFIX]) {
    let token: string | undefined;
    let listed = 0;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        listed++;
        const base = object.Key === undefined ? undefined : pattern.exec(object.Key)?.[1];
        if (base === undefined) continue;
        const seen = bases.get(base) ?? { files: 0, lastKey: "" };
        bases.set(base, {
          files: seen.files + 1,
          lastKey: (object.Key as string) > seen.lastKey ? (object.Key as string) : seen.lastKey,
        });
      }
      token = page.IsTruncated && listed < MAX_KEYS_LISTED ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return [...bases].map(([base, seen]) => ({ base, ...seen })).sort((a, b) => b.files - a.files);
}

/** What to tell the deployer when files landed under `landed` and the table reads `tableBase`. */
export function layoutFix(bucket: string, landed: string, tableBase: string): string[] {
  return [
    `the Athena table reads s3://${bucket}/${tableBase}distributionid=\${distributionid}/year=\${year}/...`,
    `but the files are under s3://${bucket}/${landed}distributionid=.../: it would read none of them.`,
    `Fix: pulumi config set logTablePrefix ${landed} (the table follows it), then pulumi up.`,
  ];
}
