/**
 * What a query cost, by Athena's SQL pricing: $5 per TB scanned, each query rounded up to the
 * next MB with a 10 MB minimum (AWS bills in binary units: 1 MB = 2^20 bytes, 1 TB = 2^40).
 */
export const DOLLARS_PER_TB = 5;
const MB = 2 ** 20;
const TB = 2 ** 40;
export const MINIMUM_BILLED_MB = 10;

/** The bytes Athena bills for a query that scanned `scanned` bytes. */
export function billedBytes(scanned: number): number {
  return Math.max(Math.ceil(scanned / MB), MINIMUM_BILLED_MB) * MB;
}

export function queryCostDollars(scanned: number): number {
  return (billedBytes(scanned) / TB) * DOLLARS_PER_TB;
}

/** `1.5 GB`, `120 KB`: binary units, as Athena's console shows them. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${+value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** `$0.000048`: enough digits to tell a minimum-billed query from a free one. */
export function formatDollars(dollars: number): string {
  if (dollars >= 0.01) return `$${dollars.toFixed(2)}`;
  return `$${dollars.toPrecision(2)}`;
}
