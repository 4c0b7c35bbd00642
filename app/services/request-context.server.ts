import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

// What the server knows about the request being handled. server/app.ts creates one per
// request; code deep in a loader (getUser) fills in who made it, so the one log line
// written when the response finishes can say so without threading it through every call.
// It lives in app/ because app code reads it (sessions, entry.server.tsx), and app/ never
// imports server/.
export type RequestRecord = {
  requestId: string;
  nonce: string;
  clientAddress: string;
  userId?: number;
};

// server/app.ts loads this module through tsx, and the Remix build carries a bundled copy
// of its own: one storage per copy would leave the build never seeing a request. Both
// copies take the one storage kept on globalThis.
declare global {
  var asklogRequestStorage: AsyncLocalStorage<RequestRecord> | undefined;
}
globalThis.asklogRequestStorage ??= new AsyncLocalStorage<RequestRecord>();
const storage = globalThis.asklogRequestStorage;

// Random bytes are drawn from the OS generator a few kilobytes at a time: one system call
// for every 186 requests rather than two for each.
let pool = Buffer.alloc(0);
function random(size: number): Buffer {
  if (pool.length < size) pool = randomBytes(4096);
  const taken = pool.subarray(0, size);
  pool = pool.subarray(size);
  return taken;
}

export function newRequestRecord(clientAddress: string): RequestRecord {
  return {
    // Short enough to read out on the phone, unique enough for a log search.
    requestId: random(6).toString("hex"),
    // A fresh nonce per response: only scripts carrying it may run (Content-Security-Policy).
    nonce: random(16).toString("base64"),
    clientAddress,
  };
}

export function runWithRequest<T>(record: RequestRecord, fn: () => T): T {
  return storage.run(record, fn);
}

export function currentRequest(): RequestRecord | undefined {
  return storage.getStore();
}
