import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

function major(version: string): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1]);
}

/**
 * CI's system Node may be older than the project's; `npm test` runs on the Node that the lock
 * file installs into node_modules/.bin. If that install were lost, the suite would silently fall
 * back to the system Node: these specs make that fall-back a failure.
 */
describe("the runtime the suite runs on", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    engines: { node: string };
  };
  const minimum = Number(/^>=(\d+)$/.exec(pkg.engines.node)?.[1]);

  it("is a Node major that package.json's engines accept", () => {
    assert.ok(minimum >= 22, `engines.node is ${pkg.engines.node}; expected >=22 or newer`);
    assert.ok(
      major(process.version) >= minimum,
      `running on Node ${process.version}, below engines.node ${pkg.engines.node}`,
    );
  });

  it("is the major that .nvmrc names for version managers", () => {
    const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
    assert.strictEqual(major(process.version), major(nvmrc + "."));
  });
});
