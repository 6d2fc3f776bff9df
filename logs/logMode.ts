/**
 * Which logging mode wrote a file, as the reader names it: legacy files are W3C, flat under the
 * prefix; v2 files sit in the Hive partition path (collector/eventLogs/logLayout.ts) and are JSON or W3C.
 */
import * as path from "path";
import { inV2PartitionPath } from "../collector/eventLogs/logLayout";
import { LogFileFormat } from "./accessLog";

export type FoundMode = "legacy" | "v2 json" | "v2 w3c";

export function logModeOf(file: string, format: LogFileFormat | undefined): FoundMode {
  if (format === "json") return "v2 json";
  return inV2PartitionPath(file.split(path.sep).join("/")) ? "v2 w3c" : "legacy";
}
