// Preloaded into the policy pack's process (offline/packPreload.js). The Pulumi CLI's pack runner
// type-checks the pack with ts-node at every start, and so does this one: about 2 s of CPU, most
// of it TypeScript parsing the 4 MB of declarations that @pulumi/policy's types reach. Like
// `tsc --build`, which skips a project whose inputs are unchanged, this keeps a record of a check
// that passed: every file TypeScript read (the pack's modules, the declarations, TypeScript's own
// lib files) with a hash of its content, every file of the pack's directory, the lockfiles of the
// node_modules it resolves from, the versions of TypeScript and ts-node, the runner's options,
// ts-node's environment variables, and the JavaScript the check emitted for each module. While all
// of them are as recorded, ts-node runs as the runner asked, type-checking, but on a language
// service that answers from the record: no diagnostics, the same JavaScript. When any differs,
// TypeScript checks as the CLI does, and a pass is recorded again.
// The record is written when the pack is stopped with SIGTERM, which a pack that failed its check
// never sees (the runner exits at once), and holds only the modules whose check passed. A module
// the record does not hold (one loaded later than it was then) is refused, never run unchecked.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** Bumped when what a record holds changes, so an older one is never read as a newer one. */
const RECORD_VERSION = 1;
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "pack-type-check");
/** PACK_TYPE_CHECK_LOG=1 prints, on stderr, whether the check ran and why, or stood. */
const LOG = process.env.PACK_TYPE_CHECK_LOG === "1";

const log = (message) => LOG && process.stderr.write(`pack type-check: ${message}\n`);

const hash = (content) => crypto.createHash("sha256").update(content).digest("base64url");

/** The file's hash, or null when it cannot be read (gone, a directory). */
function fileHash(file) {
  try {
    return hash(fs.readFileSync(file));
  } catch {
    return null;
  }
}

/**
 * Every file under the pack's directory but node_modules, hashed: a file added there can change
 * what an import resolves to without changing any file TypeScript read.
 */
function packFiles(dir) {
  const files = {};
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files[child] = fileHash(path.join(dir, child));
    }
  };
  walk("");
  return files;
}

/**
 * npm's record of what each node_modules on the resolution path holds: an install that adds or
 * replaces a package changes it, even where no file TypeScript read has changed.
 */
function lockfiles(dir) {
  const found = {};
  for (let d = dir; ; d = path.dirname(d)) {
    const lock = path.join(d, "node_modules", ".package-lock.json");
    if (fs.existsSync(lock)) found[lock] = fileHash(lock);
    if (path.dirname(d) === d) return found;
  }
}

/** What, besides the files TypeScript read, a check's verdict depends on. */
function inputsOf(options, compilerPath, tsNodeVersion, dir) {
  return {
    version: RECORD_VERSION,
    options: JSON.stringify(options),
    // ts-node reads its defaults from these (TS_NODE_IGNORE_DIAGNOSTICS, TS_NODE_COMPILER_OPTIONS).
    tsNodeEnv: Object.entries(process.env)
      .filter(([name]) => name.startsWith("TS_NODE_"))
      .sort(([a], [b]) => a.localeCompare(b)),
    typescript: require(compilerPath).version,
    tsNode: tsNodeVersion,
    packFiles: packFiles(dir),
    lockfiles: lockfiles(dir),
  };
}

const recordPath = (dir) => path.join(CACHE_DIR, `${hash(dir)}.json`);

/** The record, or undefined when there is none or it is not one this version wrote whole. */
function readRecord(dir) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordPath(dir), "utf8"));
  } catch {
    return undefined;
  }
  const isObject = (value) => typeof value === "object" && value !== null;
  const whole = isObject(record) && ["inputs", "files", "emitted"].every((key) => isObject(record[key]));
  return whole ? record : undefined;
}

/** Why `record` does not stand for `inputs` and the files on disk now, or undefined if it does. */
function staleness(record, inputs) {
  if (record === undefined) return "no record of a passed check";
  for (const key of Object.keys(inputs)) {
    if (JSON.stringify(record.inputs[key]) !== JSON.stringify(inputs[key])) return `${key} changed`;
  }
  for (const [file, recorded] of Object.entries(record.files)) {
    if (fileHash(file) !== recorded) return `${file} changed`;
  }
  return undefined;
}

/**
 * TypeScript's module as ts-node gets it, every export the real one's but the language service,
 * which `languageService` makes around the real one. ts-node loads its compiler by module path,
 * and TypeScript's own exports cannot be redefined: packCompiler.js is the path, and hands over
 * what this puts in a global.
 */
function standInCompiler(compilerPath, languageService) {
  const ts = require(compilerPath);
  const stand = {};
  for (const key of Object.keys(ts)) {
    if (key !== "createLanguageService") {
      Object.defineProperty(stand, key, { get: () => ts[key], enumerable: true });
    }
  }
  stand.createLanguageService = (host, registry) => languageService(ts, host, registry);
  global[Symbol.for("collector.packTypeCheck.compiler")] = stand;
  return require.resolve("./packCompiler.js");
}

/** The text ts-node holds for `fileName`: what it read from disk, and compiles. */
function scriptText(host, fileName) {
  const snapshot = host.getScriptSnapshot(fileName);
  return snapshot === undefined ? undefined : snapshot.getText(0, snapshot.getLength());
}

/**
 * The real language service, checking; what it emits for each module ts-node compiles is kept,
 * with the hash of the text it compiled. ts-node asks for a module's emit before its diagnostics,
 * so a module counts as checked once ts-node's `compile` of it has returned (`checked`).
 */
function checkingService(dir, inputs) {
  const emitted = {};
  const checked = new Set();
  let service;
  const languageService = (ts, host, registry) => {
    service = ts.createLanguageService(host, registry);
    const getEmitOutput = service.getEmitOutput.bind(service);
    service.getEmitOutput = (fileName, ...rest) => {
      const output = getEmitOutput(fileName, ...rest);
      emitted[fileName] = {
        text: hash(scriptText(host, fileName) ?? ""),
        emitSkipped: output.emitSkipped,
        outputFiles: output.outputFiles.map(({ name, text, writeByteOrderMark }) => ({
          name,
          text,
          writeByteOrderMark,
        })),
      };
      return output;
    };
    return service;
  };
  const checkedBy = (tsNodeService) => {
    const compile = tsNodeService.compile;
    tsNodeService.compile = function (code, fileName, ...rest) {
      const output = compile.call(this, code, fileName, ...rest);
      checked.add(fileName);
      return output;
    };
    return tsNodeService;
  };
  const recorder = () => {
    if (service === undefined) return;
    const passed = Object.fromEntries(Object.entries(emitted).filter(([file]) => checked.has(file)));
    writeRecord(dir, inputs, service, passed);
  };
  return { languageService, checkedBy, recorder };
}

/**
 * A language service that answers from the record of a passed check: no diagnostics, and for
 * each module what the checking service emitted, while its text is the one checked then. A
 * module the record does not hold, or holds with other text, is refused and the record removed.
 */
function recordedService(dir, record) {
  return (ts, host) => {
    const refuse = (fileName, why) => {
      fs.rmSync(recordPath(dir), { force: true });
      throw new Error(
        `${fileName} ${why} when the record of the pack's last passed type-check was written; ` +
          "the record is removed: start the pack again to type-check it",
      );
    };
    return {
      getProgram: () => undefined,
      getSyntacticDiagnostics: () => [],
      getSemanticDiagnostics: () => [],
      getEmitOutput: (fileName) => {
        const kept = record.emitted[fileName];
        if (kept === undefined) return refuse(fileName, "was not compiled");
        if (hash(scriptText(host, fileName) ?? "") !== kept.text) return refuse(fileName, "read otherwise");
        return { emitSkipped: kept.emitSkipped, outputFiles: kept.outputFiles, diagnostics: [] };
      },
      getQuickInfoAtPosition: () => undefined,
    };
  };
}

/**
 * Writes the record of the check that passed: every file in the language service's program, with
 * the hash of what is on disk, provided that is still the text TypeScript checked.
 */
function writeRecord(dir, inputs, service, emitted) {
  const program = service.getProgram();
  if (program === undefined) return log("not recorded: no program");
  const files = {};
  for (const source of program.getSourceFiles()) {
    let bytes;
    try {
      bytes = fs.readFileSync(source.fileName);
    } catch {
      return log(`not recorded: ${source.fileName} is gone`);
    }
    if (bytes.toString("utf8").replace(/^\uFEFF/, "") !== source.text) {
      return log(`not recorded: ${source.fileName} changed during the check`);
    }
    files[source.fileName] = hash(bytes);
  }
  const record = { inputs, files, emitted };
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const target = recordPath(dir);
  // Written whole, then renamed over the old one: two packs stopped at once cannot mix records.
  const temporary = `${target}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify(record));
  fs.renameSync(temporary, target);
  log(`recorded ${Object.keys(files).length} files`);
}

/**
 * Wraps ts-node's `register`, which the runner calls once with its options, so that a passed
 * check stands while its inputs are unchanged: ts-node runs as the runner asked, type-checking,
 * on a language service that answers from the record. Returns what writes the record once the
 * pack has run, or undefined when ts-node is not where the runner finds it (then nothing changes).
 */
function install(runnerPath) {
  let tsNodePath;
  try {
    tsNodePath = require.resolve("ts-node", { paths: [path.dirname(runnerPath)] });
  } catch {
    return undefined;
  }
  const tsNode = require(tsNodePath);
  const register = tsNode.register;
  let recorder = () => undefined;
  tsNode.register = function registerOnce(options = {}) {
    tsNode.register = register;
    if (options.typeCheck !== true) return register(options);
    const dir = process.cwd();
    // Resolved as ts-node resolves its compiler: by name, from the project's directory.
    const compilerPath = require.resolve(options.compiler ?? "typescript", { paths: [dir] });
    const inputs = inputsOf(options, compilerPath, tsNode.VERSION, dir);
    const record = readRecord(dir);
    const stale = staleness(record, inputs);
    if (stale === undefined) {
      log(`stands (${Object.keys(record.files).length} files unchanged)`);
      return register({ ...options, compiler: standInCompiler(compilerPath, recordedService(dir, record)) });
    }
    log(`runs (${stale})`);
    const checking = checkingService(dir, inputs);
    recorder = checking.recorder;
    return checking.checkedBy(
      register({ ...options, compiler: standInCompiler(compilerPath, checking.languageService) }),
    );
  };
  let recorded = false;
  return () => {
    if (recorded) return;
    recorded = true;
    recorder();
  };
}

module.exports = { install, recordPath };
