/**
 * The Athena workgroup the collector's queries run in. Its settings are enforced, so a client
 * cannot send results elsewhere, unencrypted, or lift the per-query scan cutoff that caps the
 * cost of any one query.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Trino-based: the SQL of the named queries (from_base64url, url_extract_parameter) needs it. */
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";

/** Athena counts a megabyte as 2^20 bytes in its cutoff (its minimum, 10 MB, is 10,485,760). */
export const BYTES_PER_MB = 1024 * 1024;

export interface WorkgroupArgs {
  outputLocation: pulumi.Input<string>;
  queryScanCutoffMb: number;
  tags: Record<string, string>;
  /** The results bucket's settings, which must be in place before the first query writes. */
  dependsOn: pulumi.Resource[];
}

export function declareWorkgroup(
  name: string,
  args: WorkgroupArgs,
  opts: pulumi.CustomResourceOptions,
): aws.athena.Workgroup {
  return new aws.athena.Workgroup(
    `${name}-analytics`,
    {
      // A name people can type (`--work-group collector-prod`), unique per stack in the account.
      name: `${name}-${pulumi.getStack()}`,
      description: "Queries over the collector's CloudFront access logs (the events).",
      state: "ENABLED",
      // The named queries belong to the stack: they go with the workgroup.
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: args.queryScanCutoffMb * BYTES_PER_MB,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: args.outputLocation,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
      tags: args.tags,
    },
    { ...opts, dependsOn: args.dependsOn },
  );
}
