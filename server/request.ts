import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyaddr from "proxy-addr";

// What the edge reads from a request: its path, its client, and the scheme and host it was
// sent to. Behind a proxy the last three come from X-Forwarded-* headers, believed only as far
// as TRUST_PROXY says, with the same meaning as Express's `trust proxy` setting.

// Whether the hop-th address from the socket inwards (0 is the socket's own) is a proxy we trust.
export type TrustProxy = (address: string, hop: number) => boolean;

// TRUST_PROXY as Express compiles `trust proxy`: a number of hops, true or false, or addresses
// and subnets (loopback, 10.0.0.0/8, …) separated by commas. Unset trusts no one.
export function compileTrust(setting: number | boolean | string | undefined): TrustProxy {
  if (setting === true) return () => true;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  if (typeof setting === "string") return proxyaddr.compile(setting.split(",").map((item) => item.trim()));
  return proxyaddr.compile([]);
}

export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(req, trust) ?? req.socket.remoteAddress ?? "unknown";
}

// Only the proxy the socket comes from may name the scheme and host: the first value is the one
// it saw the client use.
function trustsSocket(req: IncomingMessage, trust: TrustProxy): boolean {
  return trust(req.socket.remoteAddress ?? "", 0);
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",", 1)[0]?.trim() || undefined;
}

export function protocolOf(req: IncomingMessage, trust: TrustProxy): string {
  const own = (req.socket as TLSSocket).encrypted ? "https" : "http";
  if (!trustsSocket(req, trust)) return own;
  return firstValue(req.headers["x-forwarded-proto"]) ?? own;
}

// The host and port the client asked for.
export function hostOf(req: IncomingMessage, trust: TrustProxy): string {
  const forwarded = trustsSocket(req, trust) ? firstValue(req.headers["x-forwarded-host"]) : undefined;
  return forwarded ?? req.headers.host ?? "";
}

// The path of a request target, without its query.
export function pathOf(target: string): string {
  const query = target.indexOf("?");
  return query === -1 ? target : target.slice(0, query);
}

// A path whose percent-escapes do not decode (%E0%A4 cut short) is a malformed address.
export function isMalformedPath(path: string): boolean {
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
