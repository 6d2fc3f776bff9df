// `npm run bench`: the project's performance targets, measured (never asserted in tests).
import { parseArgs } from "util";
import { benchAthenaScan } from "./athenaScan";
import { benchFeedback } from "./feedback";
import { benchLogReader } from "./logReader";
import { benchPolicy } from "./policy";

const BENCHES: Record<string, () => Promise<void> | void> = {
  feedback: benchFeedback,
  policy: benchPolicy,
  logs: benchLogReader,
  athena: benchAthenaScan,
};

const USAGE = `usage: npm run bench -- [--help]
  Measures, in about five minutes on a 2-core machine: the feedback loop (npm test and
  npm run preview -- --stack prod, three runs each: wall and CPU medians against their targets),
  the offline policy enforcement (wall time and peak memory per stack), the access-log reader
  (lines per second and memory on generated files in the OS temp dir, removed afterwards), and
  what Athena would scan.
  BENCH_ONLY=${Object.keys(BENCHES).join(",")} runs only the ones named.
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
  const only = process.env.BENCH_ONLY?.split(",").filter(Boolean) ?? Object.keys(BENCHES);
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    console.error(`bench: BENCH_ONLY names ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
    return EXIT_BAD_INPUT;
  }
  for (const [i, name] of only.entries()) {
    if (i > 0) console.log("");
    await BENCHES[name]();
  }
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
