// `npm run bench`: the project's performance targets, measured (never asserted in tests).
import { parseArgs } from "util";
import { benchAthenaScan } from "./athenaScan";
import { benchLogReader } from "./logReader";
import { benchPolicy } from "./policy";

const USAGE = `usage: npm run bench -- [--help]
  Measures, in about a minute and a half on a 2-core machine: the offline policy enforcement
  (wall time and peak memory per stack), the access-log reader (lines per second and memory on
  generated files in the OS temp dir, removed afterwards), and what Athena would scan.
  BENCH_LINES=n,m sets the reader's file sizes (default 250000,1000000), for a quicker run.`;

/** Exit code for bad usage, as the commands use it. */
const EXIT_BAD_INPUT = 2;

async function main(argv: string[]): Promise<number> {
  let help: boolean | undefined;
  try {
    help = parseArgs({ args: argv, options: { help: { type: "boolean" } }, strict: true }).values.help;
  } catch (error) {
    // Node's own text for an unknown option suggests "--" tricks that do not apply here.
    const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? argv.join(" ");
    console.error(`bench: unknown argument ${option}: it takes none but --help.\n${USAGE}`);
    return EXIT_BAD_INPUT;
  }
  if (help) {
    console.log(USAGE);
    return 0;
  }
  await benchPolicy();
  console.log("");
  await benchLogReader();
  console.log("");
  benchAthenaScan();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
