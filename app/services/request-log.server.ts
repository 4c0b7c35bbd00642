import { settings } from "~/settings.server";

// One JSON line per request on stdout, and one per unexpected error on stderr:
// easy to grep by request id, easy to ship to any log store. server/app.ts writes the
// request lines; app code (entry.server.tsx) reports render faults here too, so it
// lives in app/.

export type RequestLine = {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  userId?: number;
};

export function logRequest(line: RequestLine): void {
  if (!settings().requestLog) return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", ...line })}\n`);
}

// A thrown Response, a data() reply or a routing answer (Remix's "No route matches",
// which it hands to handleError as an error response) carries the status it answers with.
function statusOf(thrown: object): number | undefined {
  if (thrown instanceof Response) return thrown.status;
  if ("type" in thrown && thrown.type === "DataWithResponseInit" && "init" in thrown) {
    const init = thrown.init;
    return typeof init === "object" && init !== null && "status" in init && typeof init.status === "number"
      ? init.status
      : 200;
  }
  if ("status" in thrown && typeof thrown.status === "number" && "statusText" in thrown) return thrown.status;
  return undefined;
}

// What went wrong, with its stack when there is one. Answers below 500 (a 404, a 400) are
// the client's, not faults: they are not logged. An error response wrapping an Error
// (Remix does this for a 500 it made itself) is logged as that Error.
export function logError(requestId: string | undefined, thrown: unknown): void {
  let fault = thrown;
  if (typeof thrown === "object" && thrown !== null && !(thrown instanceof Error)) {
    const status = statusOf(thrown);
    if (status !== undefined && status < 500) return;
    if ("error" in thrown && thrown.error instanceof Error) fault = thrown.error;
  }
  const detail =
    fault instanceof Error ? { error: fault.message || fault.name, stack: fault.stack } : { error: describe(fault) };
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", requestId, ...detail })}\n`);
}

function describe(value: unknown): string {
  if (value instanceof Response) return `a ${value.status} response`;
  if (typeof value !== "object" || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
