import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Where a webhook may go. An admin types the URL, but the server makes the request: without
// this check a URL could reach the machine itself, the private network behind it, or the
// cloud's metadata service (server-side request forgery). The host is resolved on every
// attempt, since a name can point elsewhere tomorrow, and the request then connects to the
// address that was checked, never to a second answer from DNS.

function ranges(entries: [string, number, "ipv4" | "ipv6"][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix, type] of entries) list.addSubnet(network, prefix, type);
  return list;
}

// Refused even with WEBHOOK_ALLOW_PRIVATE=1: nothing a webhook is for listens there, and they
// hand out the machine's cloud credentials.
const metadata = ranges([
  ["169.254.169.254", 32, "ipv4"],
  ["fd00:ec2::254", 128, "ipv6"],
]);

// BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const kinds: [string, BlockList][] = [
  [
    "a loopback address",
    ranges([
      ["127.0.0.0", 8, "ipv4"],
      ["::1", 128, "ipv6"],
    ]),
  ],
  [
    "an unspecified address",
    ranges([
      ["0.0.0.0", 8, "ipv4"],
      ["::", 128, "ipv6"],
    ]),
  ],
  [
    "a private address",
    ranges([
      ["10.0.0.0", 8, "ipv4"],
      ["172.16.0.0", 12, "ipv4"],
      ["192.168.0.0", 16, "ipv4"],
      ["fc00::", 7, "ipv6"],
    ]),
  ],
  [
    "a link-local address",
    ranges([
      ["169.254.0.0", 16, "ipv4"],
      ["fe80::", 10, "ipv6"],
    ]),
  ],
  ["a shared (carrier-grade NAT) address", ranges([["100.64.0.0", 10, "ipv4"]])],
  [
    "a multicast or reserved address",
    ranges([
      ["224.0.0.0", 3, "ipv4"],
      ["ff00::", 8, "ipv6"],
    ]),
  ],
];

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

// Why a webhook may not go to this address, or null when it may.
export function forbiddenAddress(address: string, allowPrivate: boolean): string | null {
  const type = family(address);
  if (metadata.check(address, type)) return "a cloud metadata address";
  if (allowPrivate) return null;
  for (const [kind, list] of kinds) if (list.check(address, type)) return kind;
  return null;
}

export type ResolvedHost =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; reason: "unresolvable" | "forbidden"; detail: string };

// Every address the host resolves to must be allowed: the connection could otherwise be made
// to the one that is not. The first allowed address is the one to connect to.
export async function resolveWebhookHost(url: URL, allowPrivate: boolean): Promise<ResolvedHost> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    return { ok: false, reason: "unresolvable", detail: `${host} could not be resolved (${code})` };
  }
  for (const { address } of addresses) {
    const kind = forbiddenAddress(address, allowPrivate);
    if (kind) return { ok: false, reason: "forbidden", detail: `${host} resolves to ${address}, ${kind}` };
  }
  const [first] = addresses;
  if (!first) return { ok: false, reason: "unresolvable", detail: `${host} has no address` };
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
}

// The message next to the URL field when an endpoint's address may not be used, or null.
export async function webhookUrlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  const host = await resolveWebhookHost(new URL(url), allowPrivate);
  if (host.ok) return null;
  if (host.reason === "unresolvable")
    return `This address's host could not be found (${host.detail}). Check the spelling.`;
  const unless = allowPrivate ? "" : " Private networks are allowed only when the server sets WEBHOOK_ALLOW_PRIVATE=1.";
  return `This address is refused: ${host.detail}. Webhooks go to public addresses only.${unless}`;
}
