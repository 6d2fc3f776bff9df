/**
 * A loopback stand-in for the CloudFront edge: answers GETs of the pixel the way the policy under
 * test says, or in one of the ways an edge can go wrong. Records what it was asked.
 */
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import { corsConfigFor, CorsConfig, corsResponseHeaders } from "../../collector/edge/cors";
import { CLOUDFRONT_MAX_URL_BYTES } from "../../collector/edge/trackerConfig";
import { TestCertificate } from "./selfSignedCert";

export type EdgeMode =
  | "pixel"
  | "no-cors"
  | "wrong-type"
  | "wrong-bytes"
  | "forbidden"
  | "redirect"
  | "slow"
  | "error-500"
  | "drop";

export interface FakeEdge {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Request paths with query strings, in order. */
  requests: string[];
  /** The Origin header of each request (undefined without one), in the same order. */
  origins: (string | undefined)[];
  /** What the next requests get; the last entry repeats. */
  modes: EdgeMode[];
  close(): Promise<void>;
}

export async function startFakeEdge(
  pixel: Buffer,
  modes: EdgeMode[],
  tls?: TestCertificate,
  onRequest?: (url: string) => void,
  /** The CORS policy "pixel" answers with (the program's default: any origin). */
  cors: CorsConfig = corsConfigFor(["*"]),
): Promise<FakeEdge> {
  const requests: string[] = [];
  const origins: (string | undefined)[] = [];
  const edge = { requests, origins, modes } as FakeEdge;
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    requests.push(request.url ?? "");
    origins.push(request.headers.origin);
    // CloudFront refuses a URL over its limit, whatever else is going on, and does not log it
    // (onRequest, which tests use to write log lines, does not see it).
    if (Buffer.byteLength(`https://${request.headers.host}${request.url}`) > CLOUDFRONT_MAX_URL_BYTES) {
      return response.writeHead(413, { "content-type": "text/html" }).end("<h1>413 ERROR</h1>");
    }
    onRequest?.(request.url ?? "");
    const mode = edge.modes.length > 1 ? (edge.modes.shift() as EdgeMode) : edge.modes[0];
    const gif = { "content-type": "image/gif", "cache-control": "no-cache, no-store, must-revalidate" };
    switch (mode) {
      case "pixel":
        return response
          .writeHead(200, { ...gif, ...corsResponseHeaders(cors, request.headers.origin) })
          .end(pixel);
      case "no-cors":
        return response.writeHead(200, gif).end(pixel);
      case "wrong-type":
        return response.writeHead(200, { "content-type": "application/octet-stream" }).end(pixel);
      case "wrong-bytes":
        return response.writeHead(200, gif).end(pixel.subarray(0, 37));
      case "forbidden":
        return response.writeHead(403, { "content-type": "text/html" }).end("<h1>403 Forbidden</h1>");
      case "redirect":
        return response
          .writeHead(301, { location: `https://${request.headers.host?.split(":")[0]}${request.url}` })
          .end();
      case "slow":
        return void setTimeout(() => response.writeHead(200, gif).end(pixel), 2000).unref();
      case "error-500":
        return response.writeHead(502, { "content-type": "text/html" }).end("bad gateway");
      case "drop":
        return request.socket.destroy();
    }
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  edge.url = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  edge.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return edge;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
