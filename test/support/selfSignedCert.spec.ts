/**
 * The tests' self-signed certificates: every serial, including those whose random bytes begin
 * with zeros, gives a certificate OpenSSL accepts.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { makeSelfSignedCert } from "./selfSignedCert";

describe("the tests' self-signed certificate", () => {
  const serials: [number[], string][] = [
    [[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0], "123456789ABCDEF0"],
    [[0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78], "9ABCDEF012345678"],
    // Zeros first: DER drops them (and pads a byte with its high bit set, which Node does not show).
    [[0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde], "123456789ABCDE"],
    [[0x00, 0x00, 0x85, 0x34, 0x56, 0x78, 0x9a, 0xbc], "853456789ABC"],
  ];
  for (const [serial, expected] of serials) {
    it(`is accepted by OpenSSL with serial ${Buffer.from(serial).toString("hex")}`, () => {
      const { cert, key } = makeSelfSignedCert(["collector.test"], serial);
      const x509 = new crypto.X509Certificate(cert);
      assert.strictEqual(x509.serialNumber, expected);
      assert.ok(x509.checkPrivateKey(crypto.createPrivateKey(key)));
      assert.match(x509.subjectAltName ?? "", /DNS:collector\.test/);
    });
  }
});
