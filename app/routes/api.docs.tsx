import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { apiOrigin } from "~/services/api.server";
import { openApiDocument, problemStatuses } from "~/services/openapi.server";

export const meta: MetaFunction = () => [{ title: "API reference · Asklog" }];

// /api/docs: the API reference, rendered on the server from the same OpenAPI document
// that /api/v1/openapi.json serves, so the two never disagree.
export async function loader({ request }: LoaderFunctionArgs) {
  const document = openApiDocument(apiOrigin(request));
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const op = raw as {
        operationId: string;
        summary: string;
        description?: string;
        security: Record<string, string[]>[];
        parameters: { name: string; in: string; required: boolean; description?: string }[];
        requestBody?: { content: { "application/json": { schema: unknown } } };
        responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
      };
      const tokenOptional = op.security.some((s) => Object.keys(s).length === 0);
      const scope = op.security.flatMap((s) => s.token ?? [])[0];
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description ?? null,
        access: `${tokenOptional ? "Token optional" : "Token required"}${scope ? `; scope ${scope}` : ""}`,
        parameters: op.parameters,
        body: op.requestBody ? JSON.stringify(op.requestBody.content["application/json"].schema, null, 2) : null,
        responses: Object.entries(op.responses).map(([status, r]) => ({
          status,
          description: r.description,
          schema:
            Number(status) < 400 && r.content?.["application/json"]
              ? JSON.stringify(r.content["application/json"].schema, null, 2)
              : null,
        })),
      };
    }),
  );
  return {
    server: document.servers[0]?.url ?? "",
    operations,
    problems: Object.entries(problemStatuses).map(([status, text]) => ({ status, text })),
  };
}

export default function ApiDocs() {
  const { server, operations, problems } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>API reference</h1>
      <p>
        The JSON API lives at <code>{server}</code>. The machine-readable description is{" "}
        <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).
      </p>
      <h2>Tokens</h2>
      <p>
        Make a personal token on <a href="/account#api-tokens">your account page</a> and send it as{" "}
        <code>Authorization: Bearer asklog_pat_…</code>. Without a token, reads answer what a signed-out visitor sees;
        with one, what its owner sees. Scopes: <code>read</code> for reads, <code>write</code> to file asks, vote and
        comment, <code>team</code> for team members to post status updates. Each token has a rate limit; every answer
        carries <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>.
      </p>
      <h2>Operations</h2>
      <ul>
        {operations.map((op) => (
          <li key={op.id}>
            <a href={`#${op.id}`}>
              <code>
                {op.method} {op.path}
              </code>
            </a>{" "}
            — {op.summary}
          </li>
        ))}
      </ul>
      {operations.map((op) => (
        <section key={op.id} id={op.id} aria-labelledby={`${op.id}-heading`}>
          <h3 id={`${op.id}-heading`}>
            <code>
              {op.method} {op.path}
            </code>{" "}
            — {op.summary}
          </h3>
          {op.description ? <p>{op.description}</p> : null}
          <p>{op.access}</p>
          {op.parameters.length ? (
            <table className="data-table">
              <caption>Parameters</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">In</th>
                  <th scope="col">Required</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <th scope="row">
                      <code>{p.name}</code>
                    </th>
                    <td>{p.in}</td>
                    <td>{p.required ? "yes" : "no"}</td>
                    <td>{p.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {op.body ? (
            <details>
              <summary>Request body (JSON Schema)</summary>
              <pre>
                <code>{op.body}</code>
              </pre>
            </details>
          ) : null}
          <h4>Answers</h4>
          <ul>
            {op.responses.map((r) => (
              <li key={r.status}>
                {Number(r.status) >= 400 ? <a href={`#problem-${r.status}`}>{r.status}</a> : r.status}: {r.description}
                {r.schema ? (
                  <details>
                    <summary>Answer (JSON Schema)</summary>
                    <pre>
                      <code>{r.schema}</code>
                    </pre>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>Errors</h2>
      <p>
        Refusals are <code>application/problem+json</code> (RFC 9457): <code>type</code>, <code>title</code>,{" "}
        <code>status</code>, <code>detail</code>, and <code>errors</code> with a message per field, the same messages
        the site's forms show.
      </p>
      <dl>
        {problems.map((p) => (
          <div key={p.status} id={`problem-${p.status}`}>
            <dt>{p.status}</dt>
            <dd>{p.text}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
