import { createHash } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { TokenScope } from "~/domain";
import { authenticateToken, type TokenRefusal } from "~/models/api-token.server";
import { releaseIdempotencyKey, reserveIdempotencyKey, storeIdempotentAnswer } from "~/models/idempotency-key.server";
import type { User } from "~/models/user.server";
import { publicOrigin } from "~/settings.server";
import type { z } from "~/validation/zod";
import { countApiCall } from "./rate-limit.server";
import { logError } from "./request-log.server";

// The JSON API's edge: who is calling (a bearer token, or nobody: the session cookie is never
// read here, so a page on another site cannot act through a visitor's browser), what they may
// do, the request's body, and answers in JSON or RFC 9457 problem+json. Each operation is one
// entry of a table (app/services/api-operations.server.ts) that the routes answer from and the
// OpenAPI document is generated from.

export const apiBase = "/api/v1";
// A status update with five links and a full note is about 30 KB; anything far larger is not a mistake worth reading.
export const apiBodyMaxBytes = 65_536;

export type ApiCaller = {
  user: User | undefined;
  tokenId: number | undefined;
  scopes: readonly TokenScope[];
};

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

// A refusal an operation answers with: its status, the sentence a developer reads, and a message per field.
export class ApiProblem {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {}
}

const titles: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
};

function problemBody(problem: ApiProblem) {
  return {
    // The reference page explains each status under this anchor.
    type: `/api/docs#problem-${problem.status}`,
    title: titles[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.detail,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

export function problemResponse(problem: ApiProblem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(problem)), {
    status: problem.status,
    headers: { ...headers, ...problem.headers, "Content-Type": "application/problem+json" },
  });
}

type Schema = z.ZodType;

export type Operation<P extends Schema, Q extends Schema, B extends Schema, R extends Schema> = {
  id: string;
  method: HttpMethod;
  // OpenAPI style, under /api/v1: "/asks/{number}".
  path: string;
  summary: string;
  description?: string;
  // What a token needs. Reads need "read" when a token is sent, and nothing without one.
  scope: TokenScope;
  // Writes need a token; reads answer what a visitor sees without one.
  tokenRequired: boolean;
  params: P;
  query: Q;
  body?: B;
  // Where a body field's message goes when the body schema names it otherwise (a form's field name).
  fieldNames?: Record<string, string>;
  response: R;
  status: 200 | 201;
  // The statuses this operation can answer with besides its own, for the document.
  refusals: number[];
  // A request that succeeds on the demo data, used by the document and its test.
  example?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  run: (args: {
    caller: ApiCaller;
    params: z.output<P>;
    query: z.output<Q>;
    body: B extends Schema ? z.output<B> : undefined;
    origin: string;
  }) => z.input<R> | ApiProblem;
};

// biome-ignore lint/suspicious/noExplicitAny: any operation of the table, whatever its schemas
export type AnyOperation = Operation<any, any, any, any>;

export function operation<P extends Schema, Q extends Schema, B extends Schema, R extends Schema>(
  op: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return op;
}

const refusalDetail: Record<TokenRefusal, string> = {
  unknown: "This token is not known. Check that it was copied whole, or create a new one on your account page.",
  expired: "This token has expired. Create a new one on your account page.",
  revoked: "This token was revoked. Create a new one on your account page.",
  disabled: "The account this token belongs to is disabled.",
};

// Who is calling. A malformed Authorization header is refused rather than taken as anonymous,
// so a script with a typo learns it at once instead of reading what a visitor sees.
export function identify(request: Request, address: string): ApiCaller | ApiProblem {
  const header = request.headers.get("Authorization");
  if (header === null) return { user: undefined, tokenId: undefined, scopes: [] };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    return new ApiProblem(401, "Send the token as Authorization: Bearer asklog_pat_…", undefined, {
      "WWW-Authenticate": 'Bearer realm="asklog"',
    });
  }
  const holder = authenticateToken(match[1], address);
  if (!holder.ok) {
    return new ApiProblem(401, refusalDetail[holder.reason], undefined, {
      "WWW-Authenticate": `Bearer realm="asklog", error="invalid_token"`,
    });
  }
  return { user: holder.user, tokenId: holder.tokenId, scopes: holder.scopes };
}

// A message per field, keyed by the field's path ("links.0.url"); an unknown field gets its own.
export function fieldErrors(error: z.ZodError, rename: Record<string, string> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors[[...issue.path, key].join(".")] ??= "This field is not part of the request.";
      continue;
    }
    const path = issue.path.map(String);
    const first = path[0] ?? "";
    const field = [rename[first] ?? first, ...path.slice(1)].join(".") || "body";
    errors[field] ??= issue.message;
  }
  return errors;
}

async function readJsonBody(request: Request): Promise<unknown | ApiProblem> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return new ApiProblem(415, "Send the body as JSON, with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > apiBodyMaxBytes) return tooLarge();
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > apiBodyMaxBytes) return tooLarge();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new ApiProblem(400, "The body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return new ApiProblem(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(): ApiProblem {
  return new ApiProblem(
    413,
    `The body is larger than the API accepts (${apiBodyMaxBytes.toLocaleString("en")} bytes).`,
  );
}

// Keys a person or a library would choose (a UUID, a ULID, "sync-42"): printable ASCII, not too long.
const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

export function apiOrigin(request: Request): string {
  return publicOrigin(new URL(request.url).origin);
}

type Args = { request: Request; params: Record<string, string | undefined>; context: AppLoadContext };

// Answers a request to one path from the operations at that path.
export async function answerApi(operations: AnyOperation[], { request, params, context }: Args): Promise<Response> {
  try {
    return await answer(operations, request, params, context.clientAddress);
  } catch (fault) {
    logError(context.requestId, fault);
    return problemResponse(
      new ApiProblem(500, `An unexpected error stopped this request. Reference: ${context.requestId}.`),
    );
  }
}

async function answer(
  operations: AnyOperation[],
  request: Request,
  rawParams: Record<string, string | undefined>,
  address: string,
): Promise<Response> {
  const method = request.method.toUpperCase() === "HEAD" ? "GET" : request.method.toUpperCase();
  const op = operations.find((o) => o.method === method);
  if (!op) {
    const allow = operations.map((o) => o.method).join(", ");
    return problemResponse(new ApiProblem(405, `This address answers ${allow}.`), { Allow: allow });
  }
  const caller = identify(request, address);
  if (caller instanceof ApiProblem) return problemResponse(caller);

  const allowance = countApiCall(caller.tokenId ? { tokenId: caller.tokenId } : { address });
  if (!allowance.ok) return problemResponse(new ApiProblem(429, allowance.message), allowance.headers);
  const refuse = (problem: ApiProblem) => problemResponse(problem, allowance.headers);

  if (caller.tokenId === undefined && op.tokenRequired) {
    return refuse(
      new ApiProblem(401, "This call needs a token: Authorization: Bearer asklog_pat_…", undefined, {
        "WWW-Authenticate": 'Bearer realm="asklog"',
      }),
    );
  }
  if (caller.tokenId !== undefined && !caller.scopes.includes(op.scope)) {
    return refuse(new ApiProblem(403, `This token does not have the ${op.scope} scope this call needs.`));
  }

  const params = op.params.safeParse(Object.fromEntries(Object.entries(rawParams).filter(([k]) => k !== "*")));
  if (!params.success) return refuse(new ApiProblem(404, "There is nothing at this address."));
  const query = op.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    return refuse(new ApiProblem(400, "The query string has mistakes; see errors.", fieldErrors(query.error)));
  }

  const key = method === "POST" ? request.headers.get("Idempotency-Key") : null;
  if (key === null || caller.tokenId === undefined) {
    const rawBody = op.body ? await readJsonBody(request) : undefined;
    if (rawBody instanceof ApiProblem) return refuse(rawBody);
    return send(respond(op, caller, params.data, query.data, rawBody, apiOrigin(request)), allowance.headers);
  }
  if (!idempotencyKeyPattern.test(key)) {
    return refuse(new ApiProblem(400, "An Idempotency-Key is 1 to 255 printable ASCII characters."));
  }

  // A retried write with the same key answers as the first did and writes nothing. The key is
  // claimed before the body is read, so a second request arriving while the first still reads
  // its body or runs its write (here or in another process) is told to wait, not let through.
  const tokenId = caller.tokenId;
  const reservation = reserveIdempotencyKey(tokenId, key);
  if (reservation.kind === "in-progress") {
    return refuse(
      new ApiProblem(409, "A request with this Idempotency-Key is still being processed; retry later.", undefined, {
        "Retry-After": "1",
      }),
    );
  }
  let answered = reservation.kind === "answered";
  try {
    const rawBody = op.body ? await readJsonBody(request) : undefined;
    if (rawBody instanceof ApiProblem) return refuse(rawBody);
    const requestHash = createHash("sha256")
      .update(`${method} ${new URL(request.url).pathname}\n${JSON.stringify(rawBody ?? null)}`)
      .digest("hex");
    if (reservation.kind === "answered") {
      const stored = reservation.answer;
      if (stored.requestHash !== requestHash) {
        return refuse(
          new ApiProblem(
            422,
            "This Idempotency-Key was used for a different request. Use a new key for a new request.",
          ),
        );
      }
      return new Response(stored.body, {
        status: stored.status,
        headers: { ...allowance.headers, "Content-Type": contentTypeFor(stored.status), "Idempotent-Replayed": "true" },
      });
    }
    const reply = respond(op, caller, params.data, query.data, rawBody, apiOrigin(request));
    // A 429 or a 5xx is about the moment, not the request: a retry with the key should run again.
    if (reply.status < 500 && reply.status !== 429) {
      storeIdempotentAnswer({
        tokenId,
        key,
        reservedAt: reservation.reservedAt,
        answer: { requestHash, status: reply.status, body: reply.body },
      });
      answered = true;
    }
    return send(reply, allowance.headers);
  } finally {
    if (!answered && reservation.kind === "reserved") {
      releaseIdempotencyKey({ tokenId, key, reservedAt: reservation.reservedAt });
    }
  }
}

function send(reply: Reply, headers: Record<string, string>): Response {
  return new Response(reply.body, {
    status: reply.status,
    headers: { ...headers, ...reply.headers, "Content-Type": contentTypeFor(reply.status) },
  });
}

function contentTypeFor(status: number): string {
  return status < 400 ? "application/json" : "application/problem+json";
}

type Reply = { status: number; body: string; headers?: Record<string, string> };

function problemReply(problem: ApiProblem): Reply {
  return { status: problem.status, body: JSON.stringify(problemBody(problem)), headers: problem.headers };
}

function respond(
  op: AnyOperation,
  caller: ApiCaller,
  params: unknown,
  query: unknown,
  rawBody: unknown,
  origin: string,
): Reply {
  let body: unknown;
  if (op.body) {
    const parsed = (op.body as Schema).safeParse(rawBody);
    if (!parsed.success) {
      return problemReply(
        new ApiProblem(400, "Some fields need another look; see errors.", fieldErrors(parsed.error, op.fieldNames)),
      );
    }
    body = parsed.data;
  }
  const result = op.run({ caller, params, query, body, origin });
  if (result instanceof ApiProblem) return problemReply(result);
  return { status: op.status, body: JSON.stringify(result) };
}
