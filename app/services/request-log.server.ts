// One JSON line per request on stdout, and one per unexpected error on stderr:
// easy to grep by request id, easy to ship to any log store.

export type RequestLine = {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  userId?: number;
};

export function logRequest(line: RequestLine): void {
  if (process.env.REQUEST_LOG === "off") return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", ...line })}\n`);
}

export function logError(requestId: string | undefined, error: unknown): void {
  const detail = error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", requestId, ...detail })}\n`);
}
