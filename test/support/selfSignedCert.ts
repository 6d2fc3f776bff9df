/**
 * A self-signed certificate for 127.0.0.1 and localhost (or other names), made with node's crypto alone (node
 * can sign but not build certificates, so the few DER structures are written out here).
 * For loopback HTTPS servers in tests only.
 */
import * as crypto from "crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
/**
 * A non-negative INTEGER in DER's one encoding: no leading zero byte unless the next has its high
 * bit set (OpenSSL refuses a certificate with "illegal padding" otherwise, as it did for one
 * random serial in 512).
 */
function integer(bytes: readonly number[]): Buffer {
  const first = bytes.findIndex((b) => b !== 0);
  const minimal = first === -1 ? [0] : bytes.slice(first);
  return tlv(0x02, Buffer.from(minimal[0] & 0x80 ? [0, ...minimal] : minimal));
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

export interface TestCertificate {
  /** PEM private key and certificate, for https.createServer. */
  key: string;
  cert: string;
}

/**
 * A certificate for `dnsNames` (the first is also its common name) and the IP 127.0.0.1, with
 * `serial` (random unless given).
 */
export function makeSelfSignedCert(
  dnsNames: readonly string[] = ["localhost"],
  serial: readonly number[] = [...crypto.randomBytes(8)],
): TestCertificate {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const signatureAlgorithm = sequence(oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
  const name = sequence(tlv(0x31, sequence(oid("2.5.4.3"), tlv(0x0c, Buffer.from(dnsNames[0])))));
  const now = Date.now();
  const extensions = tlv(
    0xa3,
    sequence(
      // basicConstraints, critical: CA, so the certificate can be its own trust anchor.
      sequence(
        oid("2.5.29.19"),
        tlv(0x01, Buffer.from([0xff])),
        tlv(0x04, sequence(tlv(0x01, Buffer.from([0xff])))),
      ),
      // subjectAltName: the DNS names, then IP 127.0.0.1.
      sequence(
        oid("2.5.29.17"),
        tlv(
          0x04,
          sequence(...dnsNames.map((n) => tlv(0x82, Buffer.from(n))), tlv(0x87, Buffer.from([127, 0, 0, 1]))),
        ),
      ),
    ),
  );
  const tbs = sequence(
    tlv(0xa0, integer([2])),
    integer(serial),
    signatureAlgorithm,
    name,
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    extensions,
  );
  const signature = crypto.sign("sha256", tbs, privateKey);
  const der = sequence(tbs, signatureAlgorithm, tlv(0x03, Buffer.from([0]), signature));
  const base64 = (der.toString("base64").match(/.{1,64}/g) ?? []).join("\n");
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
  };
}
