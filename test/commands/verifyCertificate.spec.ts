/**
 * verify's certificate check on a custom domain: the TLS edge (a loopback server with the
 * project's self-signed certificate) is reached under a host name through a stand-in resolver,
 * and serves a certificate that names that host, or another one.
 */
import * as assert from "assert";
import { LookupFunction } from "net";
import { main } from "../../commands/verify";
import { checkCertificate } from "../../commands/live/certificateCheck";
import { captureOutput } from "../support/captureOutput";
import { FakeEdge, startFakeEdge } from "../support/fakeEdge";
import { makeSelfSignedCert, TestCertificate } from "../support/selfSignedCert";

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
const DOMAIN = "events.example.com";
const FAST = { timeoutMs: 2000 };

/** Resolves every name to the loopback edge, as the domain's DNS records would to CloudFront. */
const toLoopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
  options?.all
    ? callback(null, [{ address: "127.0.0.1", family: 4 }])
    : callback(null, "127.0.0.1", 4)) as unknown as LookupFunction;

describe("npm run verify: the certificate served on the domain", () => {
  const edges: FakeEdge[] = [];
  async function tlsEdge(cert: TestCertificate): Promise<{ edge: FakeEdge; base: string }> {
    const edge = await startFakeEdge(PIXEL, ["pixel"], cert);
    edges.push(edge);
    return { edge, base: `https://${DOMAIN}:${new URL(edge.url).port}` };
  }
  afterEach(async () => {
    await Promise.all(edges.splice(0).map((e) => e.close()));
  });

  it("passes a trusted certificate that names the domain, exactly or by a one-label wildcard", async () => {
    for (const names of [[DOMAIN], ["*.example.com"]]) {
      const cert = makeSelfSignedCert(names);
      const { base } = await tlsEdge(cert);
      const check = await checkCertificate(`${base}/i`, { ...FAST, ca: cert.cert, lookup: toLoopback });
      assert.deepStrictEqual([check.ok, check.problems], [true, []], names.join());
      assert.deepStrictEqual(check.names, [...names, "127.0.0.1"]);
    }
  });

  it("fails CloudFront's own certificate on the alias, naming what was served", async () => {
    const cert = makeSelfSignedCert(["*.cloudfront.net"]);
    const { base } = await tlsEdge(cert);
    const check = await checkCertificate(`${base}/i`, { ...FAST, ca: cert.cert, lookup: toLoopback });
    assert.strictEqual(check.ok, false);
    assert.match(
      check.problems[0],
      /certificate served for events\.example\.com names \*\.cloudfront\.net, 127\.0\.0\.1, not events\.example\.com/,
    );
  });

  it("fails a wildcard one label too high, and a certificate this machine does not trust", async () => {
    const deep = makeSelfSignedCert(["*.example.com"]);
    const { base } = await tlsEdge(deep);
    const check = await checkCertificate(`${base.replace(DOMAIN, `a.${DOMAIN}`)}/i`, {
      ...FAST,
      ca: deep.cert,
      lookup: toLoopback,
    });
    assert.match(
      check.problems.join("\n"),
      /names \*\.example\.com, 127\.0\.0\.1, not a\.events\.example\.com/,
    );
    const untrusted = await checkCertificate(`${base}/i`, { ...FAST, lookup: toLoopback });
    assert.deepStrictEqual(untrusted.problems.length, 1);
    assert.match(untrusted.problems[0], /does not trust the certificate \(.*SELF_SIGNED|self[- ]signed/i);
  });

  it("runs in verify before the pixel checks, and fails verify on a wrong certificate", async () => {
    const plain = await startFakeEdge(PIXEL, ["pixel"]);
    edges.push(plain);
    const good = makeSelfSignedCert([DOMAIN]);
    const { base } = await tlsEdge(good);
    const output = captureOutput();
    const args = ["--url", base, "--http-url", `${plain.url}/i`, "--retries", "0"];
    const code = await main(args, output, {
      pixel: PIXEL,
      ca: good.cert,
      lookup: toLoopback,
    });
    const text = output.stdout.join("\n");
    assert.strictEqual(code, 0, text);
    assert.match(
      text,
      /^ok {3}TLS {3}events\.example\.com: the certificate names it \(events\.example\.com/m,
    );
    assert.match(text, /^ok {3}HTTPS https:\/\/events\.example\.com:\d+\/i: 200/m);
    assert.ok(text.indexOf("TLS ") < text.indexOf("HTTPS "), text);

    const wrong = makeSelfSignedCert(["*.cloudfront.net"]);
    const other = await tlsEdge(wrong);
    const failing = captureOutput();
    const failed = await main(
      ["--url", other.base, "--http-url", `${plain.url}/i`, "--retries", "0"],
      failing,
      {
        pixel: PIXEL,
        ca: wrong.cert,
        lookup: toLoopback,
      },
    );
    assert.notStrictEqual(failed, 0);
    assert.match(
      failing.stdout.join("\n"),
      /^FAIL TLS {3}events\.example\.com: .*names \*\.cloudfront\.net/m,
    );
  });
});
