import { tokenScopes } from "~/domain";
import { problemOut } from "~/validation/api";
import { z } from "~/validation/zod";
import { type AnyOperation, apiBase, apiBodyMaxBytes } from "./api.server";
import { apiOperations } from "./api-operations.server";

// The OpenAPI 3.1 document of /api/v1, generated from the operations table the routes answer
// from: the same zod schemas validate requests and describe them here.

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
  return json;
}

function parametersOf(op: AnyOperation) {
  const located = [
    ["path", op.params],
    ["query", op.query],
  ] as const;
  return located.flatMap(([where, schema]) => {
    const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      };
    });
  });
}

const statusText: Record<number, string> = {
  400: "The request has mistakes: a field, the query string, malformed JSON or a cursor from another list.",
  401: "No token where one is needed, or a token that is unknown, expired or revoked.",
  403: "The token lacks the scope, or its owner the permission.",
  404: "No such ask (or one hidden from this caller).",
  409: "The ask does not take this now (closed to votes, comments locked), or a request with the same Idempotency-Key is still being processed (retry after Retry-After seconds).",
  413: `The body is larger than ${apiBodyMaxBytes} bytes.`,
  415: "The body is not sent as application/json.",
  422: "The Idempotency-Key was used for a different request.",
  429: "Too many calls: wait for Retry-After seconds.",
};

export const problemStatuses = statusText;

function operationObject(op: AnyOperation) {
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  const rateHeaders = {
    "RateLimit-Limit": { schema: { type: "integer" }, description: "Calls allowed in the window." },
    "RateLimit-Remaining": { schema: { type: "integer" }, description: "Calls left in the window." },
    "RateLimit-Reset": { schema: { type: "integer" }, description: "Seconds until the window resets." },
  };
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.path.startsWith("/asks") ? "Asks" : "Site"],
    security: op.tokenRequired ? [{ token: [op.scope] }] : [{}, { token: [op.scope] }],
    parameters: [
      ...parametersOf(op),
      ...(op.method === "POST"
        ? [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description:
                "Any unique string (a UUID). A retry with the same key answers as the first call did and writes nothing again; the same key with another request gets 422, and while the first call is still running, 409 with Retry-After.",
              schema: { type: "string", maxLength: 255 },
            },
          ]
        : []),
    ],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: schemaOf(op.body, "input"),
                ...(op.example?.body === undefined ? {} : { example: op.example.body }),
              },
            },
          },
        }
      : {}),
    responses: {
      [op.status]: {
        description: op.status === 201 ? "Created" : "OK",
        headers: rateHeaders,
        content: { "application/json": { schema: schemaOf(op.response, "output") } },
      },
      ...Object.fromEntries(
        op.refusals.map((status) => [status, { description: statusText[status] ?? "Refused", content: problem }]),
      ),
    },
    ...(op.example ? { "x-example": { params: op.example.params ?? {}, query: op.example.query ?? {} } } : {}),
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(apiOperations)) {
    paths[path] = Object.fromEntries(
      (operations as AnyOperation[]).map((op) => [op.method.toLowerCase(), operationObject(op)]),
    );
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Asklog API",
      version: "1",
      description:
        "Read asks, their status details and comments; file asks, vote, comment and, for team members, post status updates. Without a token, reads see what a signed-out visitor sees. Errors are RFC 9457 problem details.",
    },
    servers: [{ url: `${origin}${apiBase}` }],
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    security: [{}, { token: [] }],
    components: {
      securitySchemes: {
        token: {
          type: "http",
          scheme: "bearer",
          description: `A personal token made on the account page (asklog_pat_…). Scopes: ${tokenScopes.join(", ")}.`,
        },
      },
      schemas: { Problem: schemaOf(problemOut, "output") },
    },
    paths,
  };
}
