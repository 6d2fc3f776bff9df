// `npm run bench`: the project's performance targets, measured (never asserted in tests).
import { benchAthenaScan } from "./athenaScan";
import { benchLogReader } from "./logReader";
import { benchPolicy } from "./policy";

async function main(): Promise<void> {
  await benchPolicy();
  console.log("");
  await benchLogReader();
  console.log("");
  benchAthenaScan();
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
