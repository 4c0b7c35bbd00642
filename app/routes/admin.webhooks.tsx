import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { Time } from "~/components/time";
import { typedValues, WebhookEndpointForm } from "~/components/webhook-endpoint-form";
import { webhookEvents } from "~/domain";
import { createWebhookEndpoint, listWebhookEndpoints } from "~/models/webhook.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { webhookUrlProblem } from "~/services/webhook-address.server";
import { revealOnce } from "~/services/webhook-secret-reveal.server";
import { settings } from "~/settings.server";
import { intentsFor, refuse } from "~/validation/intent";
import { webhookEndpointSchema } from "~/validation/webhook";

export const meta: MetaFunction = () => [{ title: "Webhooks · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:webhooks");
  return { endpoints: listWebhookEndpoints(), allowPrivate: settings().webhooks.allowPrivate };
}

const intent = intentsFor();

const intents = () => ({
  create: intent({
    permission: "admin:webhooks",
    schema: webhookEndpointSchema,
    run: async ({ input, user }) => {
      const problem = await webhookUrlProblem(input.url, settings().webhooks.allowPrivate);
      if (problem) return refuse({ url: problem });
      const created = createWebhookEndpoint({ ...input, actorId: user.id });
      return redirectWithNotice(
        `/admin/webhooks/${created.id}`,
        "Endpoint registered. Copy its secret now: it is shown only this once.",
        { headers: { "Set-Cookie": await revealOnce(created.id, created.secret) } },
      );
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "create" });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["endpoints"][number];

const columns: Column<Row>[] = [
  {
    header: "Endpoint",
    rowHeader: true,
    cell: (e) => (
      <>
        <Link to={`/admin/webhooks/${e.id}`}>{e.url}</Link>
        {e.description ? <span className="muted"> · {e.description}</span> : null}
      </>
    ),
  },
  { header: "Events", cell: (e) => e.events.join(", ") },
  {
    header: "State",
    cell: (e) =>
      e.disabledAt ? (
        <span className="mail-state dead">Disabled</span>
      ) : (
        <span className="mail-state sent">Enabled</span>
      ),
  },
  { header: "Waiting", numeric: true, cell: (e) => e.pending },
  { header: "Failures in a row", numeric: true, cell: (e) => e.failureStreak },
  { header: "Registered", cell: (e) => <Time value={e.createdAt} relative /> },
];

export default function AdminWebhooks() {
  const { endpoints, allowPrivate } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const disabled = endpoints.filter((e) => e.disabledAt !== null);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Asklog POSTs each event to the endpoints that want it, signed as the Standard Webhooks specification says, and
        retries for a day. See <code>docs/webhooks.md</code> for the payloads and how to check a signature.
      </p>
      {disabled.length ? (
        <p className="notice">
          {plural(disabled.length, "endpoint")} {disabled.length === 1 ? "is" : "are"} disabled:{" "}
          {disabled.map((e, i) => (
            <span key={e.id}>
              {i ? ", " : null}
              <Link to={`/admin/webhooks/${e.id}`}>{e.url}</Link> ({e.disabledReason ?? "disabled"})
            </span>
          ))}
        </p>
      ) : null}
      {endpoints.length ? (
        <DataTable caption="Webhook endpoints" captionHidden columns={columns} rows={endpoints} rowKey={(e) => e.id} />
      ) : (
        <p>No endpoints yet.</p>
      )}

      <h2>Register an endpoint</h2>
      <WebhookEndpointForm
        intent="create"
        idPrefix="new-webhook"
        values={reply ? typedValues(reply.values) : { url: "", description: "", events: webhookEvents }}
        errors={reply?.errors}
        submitLabel="Register endpoint"
        allowPrivate={allowPrivate}
      />
    </>
  );
}
