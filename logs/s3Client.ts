/**
 * The S3 client the log commands use: credentials from the standard AWS chain, and an endpoint
 * override for S3-compatible servers (path-style, since those rarely serve bucket subdomains).
 */
import { S3Client } from "@aws-sdk/client-s3";

export interface S3Target {
  region: string;
  endpoint?: string;
}

export function makeS3Client(target: S3Target): S3Client {
  return new S3Client({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint, forcePathStyle: true }),
    // Checksums only where S3 requires them: newer SDK defaults send and expect checksum headers
    // that S3-compatible servers do not all understand, and these calls only read.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
