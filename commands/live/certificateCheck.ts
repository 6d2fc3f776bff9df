/**
 * The certificate the edge serves for a host name: does it name the host, and does this machine
 * trust it? Read on its own TLS connection, without trust enforced, so that a wrong certificate
 * is described (its names) rather than only refused. CloudFront answers a name that is not one
 * of the distribution's aliases with its own `*.cloudfront.net` certificate.
 */
import { isIP, LookupFunction } from "net";
import * as tls from "tls";

export interface CertificateCheck {
  host: string;
  ok: boolean;
  /** The names the served certificate holds (subjectAltName DNS names and IP addresses). */
  names: string[];
  /** The problems found, or the network failure that left no certificate to look at. */
  problems: string[];
}

export interface CertificateCheckOptions {
  timeoutMs: number;
  /** Extra trusted certificates (PEM): tests use it for a loopback TLS server. */
  ca?: string;
  lookup?: LookupFunction;
}

/** The DNS names and IP addresses of a peer certificate's subjectAltName, else its common name. */
export function certificateNames(certificate: tls.PeerCertificate): string[] {
  const alt = certificate.subjectaltname ?? "";
  const names = alt
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((name): name is string => name !== undefined);
  const commonName = certificate.subject?.CN;
  return names.length > 0 ? names : typeof commonName === "string" ? [commonName] : [];
}

/** Connects to the host of `httpsUrl` (its port, else 443) and checks the certificate served. */
export function checkCertificate(
  httpsUrl: string,
  options: CertificateCheckOptions,
): Promise<CertificateCheck> {
  const url = new URL(httpsUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? 443 : Number(url.port);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (check: CertificateCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(check);
    };
    const failed = (problem: string) => finish({ host, ok: false, names: [], problems: [problem] });
    const socket = tls.connect({
      host,
      port,
      // SNI: CloudFront picks the certificate of the alias the viewer names.
      servername: isIP(host) ? undefined : host,
      ca: options.ca,
      lookup: options.lookup,
      rejectUnauthorized: false,
    });
    socket.once("secureConnect", () => {
      const certificate = socket.getPeerCertificate();
      const names = certificateNames(certificate);
      const problems: string[] = [];
      if (tls.checkServerIdentity(host, certificate) !== undefined) {
        problems.push(
          `the certificate served for ${host} names ${names.join(", ") || "nothing"}, not ${host}. ` +
            "Is the name an alias of the distribution, with its ACM certificate (us-east-1) attached?",
        );
      }
      if (!socket.authorized) {
        problems.push(`this machine does not trust the certificate (${String(socket.authorizationError)})`);
      }
      finish({ host, ok: problems.length === 0, names, problems });
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      failed(
        error.code === "ENOTFOUND" || error.code === "EAI_AGAIN"
          ? `DNS: ${host} does not resolve (${error.code}). Has its DNS record been created and propagated?`
          : `TLS connection to ${host}:${port} failed: ${error.message}`,
      ),
    );
    const timer = setTimeout(
      () => failed(`no TLS handshake with ${host}:${port} within ${options.timeoutMs} ms.`),
      options.timeoutMs,
    );
  });
}
