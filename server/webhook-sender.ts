import { createHmac } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import {
  type AttemptOutcome,
  batchVoteChanges,
  claimDueDeliveries,
  type DueDelivery,
  recordDeliveryAttempt,
  renewDeliveryLeases,
} from "~/models/webhook.server";
import { resolveWebhookHost } from "~/services/webhook-address.server";
import { endpointDisabledMail } from "~/services/webhook-message.server";

// Sends due webhook deliveries for the outbox worker (docs/webhooks.md): signed as the
// Standard Webhooks specification says, to the address that passed the SSRF check, without
// following redirects, each attempt recorded for the endpoint's delivery log.

export type WebhookOptions = {
  // WEBHOOK_ALLOW_PRIVATE: loopback and private addresses may be reached.
  allowPrivate: boolean;
  // How long vote changes gather before one vote.changed delivery tells about them.
  voteBatchMs: number;
  timeoutMs?: number;
};

const batch = 20;
const concurrency = 8;
// As the mail outbox: renewed while sending, so a delivery is due again soon after a crash.
const leaseMs = 30_000;
const renewEveryMs = 10_000;
const defaultTimeoutMs = 10_000;
const excerptChars = 500;
// Enough of the answer for its first 500 characters; the rest is not read.
const readBytes = 4096;

// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" per secret, space separated. The key is the
// secret's base64 part, decoded.
export function signatureHeader(secrets: string[], messageId: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
      return `v1,${createHmac("sha256", key).update(`${messageId}.${timestamp}.${body}`).digest("base64")}`;
    })
    .join(" ");
}

// Retry-After in seconds or as a date, as a wait in milliseconds.
function retryAfter(response: IncomingMessage, now: Date): number | undefined {
  const value = response.headers["retry-after"];
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function post(
  delivery: DueDelivery,
  address: { address: string; family: 4 | 6 },
  timeoutMs: number,
  now: Date,
): Promise<Omit<AttemptOutcome, "durationMs">> {
  const url = new URL(delivery.url);
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = delivery.payload;
  // The connection goes to the checked address, whatever DNS would answer a second time; TLS
  // still checks the certificate against the host name.
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: "POST",
        lookup,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Asklog-Webhooks",
          "webhook-id": delivery.messageId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signatureHeader(delivery.secrets, delivery.messageId, timestamp, body),
        },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const statusCode = response.statusCode ?? null;
          const redirected = statusCode !== null && statusCode >= 300 && statusCode < 400;
          resolve({
            statusCode,
            error: redirected
              ? `Redirects are not followed (to ${response.headers.location ?? "nowhere"}); register the final address.`
              : null,
            responseExcerpt: [...text].slice(0, excerptChars).join("") || null,
            retryAfterMs: retryAfter(response, now),
          });
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= readBytes) {
            response.destroy();
            finish();
          }
        });
        response.on("end", finish);
        response.on("error", finish);
      },
    );
    req.on("error", (error) => {
      const timedOut = error.name === "AbortError" || error.name === "TimeoutError";
      resolve({
        statusCode: null,
        error: timedOut ? `No answer within ${timeoutMs / 1000} s.` : error.message,
        responseExcerpt: null,
      });
    });
    req.end(body);
  });
}

async function attempt(delivery: DueDelivery, options: WebhookOptions, now: Date): Promise<AttemptOutcome> {
  const started = performance.now();
  try {
    const host = await resolveWebhookHost(new URL(delivery.url), options.allowPrivate);
    const outcome = host.ok
      ? await post(delivery, host, options.timeoutMs ?? defaultTimeoutMs, now)
      : { statusCode: null, error: `Refused: ${host.detail}.`, responseExcerpt: null };
    return { ...outcome, durationMs: performance.now() - started };
  } catch (error) {
    // A request that could not even be made is a failed attempt like any other.
    return { statusCode: null, error: String(error), responseExcerpt: null, durationMs: performance.now() - started };
  }
}

// One round: vote changes whose window ended become deliveries, then due deliveries are sent.
// Answers how many deliveries were written or attempted.
export async function deliverWebhooks({
  owner,
  now,
  options,
}: {
  owner: string;
  now: () => Date;
  options: WebhookOptions;
}): Promise<number> {
  const batched = batchVoteChanges({ now: now(), windowMs: options.voteBatchMs });
  const due = claimDueDeliveries({ owner, limit: batch, leaseMs, now: now() });
  if (!due.length) return batched;
  const held = new Set(due.map((d) => d.id));
  const renewal = setInterval(() => renewDeliveryLeases({ owner, ids: [...held], leaseMs, now: now() }), renewEveryMs);
  try {
    for (let i = 0; i < due.length; i += concurrency) {
      await Promise.all(
        due.slice(i, i + concurrency).map(async (delivery) => {
          try {
            const outcome = await attempt(delivery, options, now());
            recordDeliveryAttempt({
              deliveryId: delivery.id,
              owner,
              outcome,
              disabledNotice: endpointDisabledMail,
              now: now(),
            });
          } finally {
            held.delete(delivery.id);
          }
        }),
      );
    }
  } finally {
    clearInterval(renewal);
  }
  return batched + due.length;
}
