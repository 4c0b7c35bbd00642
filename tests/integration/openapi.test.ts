import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getStatusBySlug } from "~/models/status.server";
import { z } from "~/validation/zod";
import { api, tokenFor } from "./api-client";
import { makeAsk, makeUser } from "./helpers";

// The document is checked against the live routes: every documented operation is called and
// its answer validated with the schema the document gives (read back from the document's JSON,
// not from the code's zod schemas), so a field the code adds, renames or drops fails here.

type Operation = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: object }[];
  requestBody?: { content: { "application/json": { schema: object } } };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  security: Record<string, string[]>[];
};

type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

async function documentAnswer(): Promise<Document> {
  const answer = await api("/api/v1/openapi.json");
  expect(answer.status).toBe(200);
  return answer.json as Document;
}

function validatorFor(schema: object, document: Document) {
  const resolved = JSON.parse(
    JSON.stringify(schema).replace(/\{"\$ref":"#\/components\/schemas\/(\w+)"\}/g, (_, name: string) =>
      JSON.stringify(document.components.schemas[name]),
    ),
  );
  return z.fromJSONSchema(resolved);
}

describe("/api/v1/openapi.json", () => {
  it("documents every route file under /api/v1, and nothing that is not there", async () => {
    const document = await documentAnswer();
    expect(document.openapi).toBe("3.1.0");
    const documented = Object.keys(document.paths).sort();
    const routed = readdirSync("app/routes")
      .filter((f) => f.startsWith("api.v1.") && !f.includes("openapi") && f !== "api.v1.$.ts")
      .map(
        (f) =>
          `/${f
            .replace(/^api\.v1\./, "")
            .replace(/\.ts$/, "")
            .replace(/_\./g, ".")
            .replace(/_$/, "")
            .replace(/\$(\w+)/g, "{$1}")
            .split(".")
            .join("/")}`,
      )
      .sort();
    expect(documented).toEqual(routed);
  });

  it("answers every documented operation as documented", async () => {
    const document = await documentAnswer();
    const member = await makeUser({ role: "team", team: "OpenAPI team" });
    const token = tokenFor(member, ["read", "write", "team"]);
    const author = await makeUser();
    const ask = makeAsk(author.id, "An ask the document's test calls");
    const statusId = getStatusBySlug("under-review")?.id;
    // What each operation is called with; an operation the document gains without one here fails the test.
    const calls: Record<string, { params?: Record<string, string>; query?: string; body?: unknown }> = {
      listAsks: { query: "?sort=top&limit=3" },
      fileAsk: { body: { title: "An ask filed by the OpenAPI test", body: "Markdown **body**.", categoryId: 1 } },
      getAsk: { params: { number: String(ask.id) } },
      castVote: { params: { number: String(ask.id) } },
      retractVote: { params: { number: String(ask.id) } },
      addComment: { params: { number: String(ask.id) }, body: { body: "A comment from the document's test." } },
      addStatusUpdate: {
        params: { number: String(ask.id) },
        body: {
          statusId,
          teamId: member.teamId,
          note: "Under review.",
          links: [{ url: "https://example.com/plan", title: "The plan" }],
        },
      },
      listStatuses: {},
      listCategories: {},
      listTeams: {},
      getMe: {},
    };
    const seen: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const call = calls[op.operationId];
        expect(call, `a call for ${op.operationId}`).toBeDefined();
        if (!call) continue;
        seen.push(op.operationId);
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => call.params?.[name] ?? "");
        if (call.body !== undefined) {
          const bodySchema = op.requestBody?.content["application/json"].schema;
          expect(bodySchema, `${op.operationId} documents its body`).toBeDefined();
          expect(validatorFor(bodySchema ?? {}, document).safeParse(call.body).success).toBe(true);
        }
        const answer = await api(`/api/v1${url}${call.query ?? ""}`, {
          method: method.toUpperCase(),
          token,
          body: call.body,
        });
        const [status, documented] = Object.entries(op.responses).find(([s]) => Number(s) < 300) ?? [];
        expect(answer.status, `${op.operationId}: ${answer.raw}`).toBe(Number(status));
        const schema = documented?.content?.["application/json"]?.schema ?? {};
        const checked = validatorFor(schema, document).safeParse(answer.json);
        expect(checked.success, `${op.operationId}: ${JSON.stringify(checked.error?.issues)}`).toBe(true);
        expect(answer.headers.get("RateLimit-Remaining")).not.toBeNull();
      }
    }
    expect(seen.sort()).toEqual(Object.keys(calls).sort());
  });

  it("answers documented refusals as problem details of the documented shape", async () => {
    const document = await documentAnswer();
    const problem = validatorFor({ $ref: "#/components/schemas/Problem" }, document);
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const url = path.replace(/\{\w+\}/g, "1");
        // A token that is not known is refused on every operation with 401, which each documents.
        expect(Object.keys(op.responses)).toContain("401");
        const answer = await api(`/api/v1${url}`, { method: method.toUpperCase(), token: "asklog_pat_unknown" });
        expect(answer.status).toBe(401);
        expect(problem.safeParse(answer.json).success).toBe(true);
      }
    }
  });
});
