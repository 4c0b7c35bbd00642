import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { typedValues, WebhookEndpointForm } from "~/components/webhook-endpoint-form";
import type { DeliveryState } from "~/domain";
import {
  deleteWebhookEndpoint,
  deliveryCounts,
  deliveryPageSize,
  getWebhookEndpoint,
  listDeliveries,
  resendDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  setWebhookEnabled,
  updateWebhookEndpoint,
  webhookSecret,
} from "~/models/webhook.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectPastEnd } from "~/services/list-viewer.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { webhookUrlProblem } from "~/services/webhook-address.server";
import { revealOnce, takeRevealed } from "~/services/webhook-secret-reveal.server";
import { settings } from "~/settings.server";
import { parseId, parsePage } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";
import { deliveryRowSchema, webhookEndpointSchema } from "~/validation/webhook";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? data.endpoint.url : "Webhook"} · Webhooks · Admin · Asklog` },
];

function findEndpoint(param: string | undefined) {
  const id = parseId(param);
  const endpoint = id === undefined ? undefined : getWebhookEndpoint(id);
  if (!endpoint) throw data("Webhook endpoint not found", { status: 404 });
  return endpoint;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:webhooks");
  const endpoint = findEndpoint(params.id);
  const page = parsePage(new URL(request.url).searchParams.get("page"));
  const { deliveries, total } = listDeliveries(endpoint.id, page);
  redirectPastEnd(request, page, total, deliveryPageSize);
  const revealed = await takeRevealed(request, endpoint.id, webhookSecret(endpoint.id));
  return data(
    {
      endpoint,
      secret: revealed.secret,
      counts: deliveryCounts(endpoint.id),
      deliveries,
      page,
      total,
      pageSize: deliveryPageSize,
      allowPrivate: settings().webhooks.allowPrivate,
      previousSecretSigns: endpoint.previousSecretUntil !== null && new Date(endpoint.previousSecretUntil) > new Date(),
    },
    { headers: revealed.headers },
  );
}

const intent = intentsFor<{ endpointId: number; page: string }>();
const notFound = () => data("Webhook endpoint not found", { status: 404 });

const intents = () => ({
  edit: intent({
    permission: "admin:webhooks",
    schema: webhookEndpointSchema,
    run: async ({ endpointId, page, input, user }) => {
      const problem = await webhookUrlProblem(input.url, settings().webhooks.allowPrivate);
      if (problem) return refuse({ url: problem });
      const result = updateWebhookEndpoint({ ...input, endpointId, actorId: user.id });
      if (!result.ok) throw notFound();
      return redirectWithNotice(page, "Endpoint saved.");
    },
  }),
  rotate: intent({
    permission: "admin:webhooks",
    run: async ({ endpointId, page, user }) => {
      const result = rotateWebhookSecret({ endpointId, actorId: user.id });
      if (!result.ok) throw notFound();
      return redirectWithNotice(
        page,
        "New secret made. Copy it now: it is shown only this once. The old one keeps signing for 24 hours.",
        { headers: { "Set-Cookie": await revealOnce(endpointId, result.secret) } },
      );
    },
  }),
  disable: intent({
    permission: "admin:webhooks",
    run: ({ endpointId, page, user }) => {
      if (!setWebhookEnabled({ endpointId, enabled: false, actorId: user.id }).ok) throw notFound();
      return redirectWithNotice(page, "Endpoint disabled: nothing is sent to it until it is enabled again.");
    },
  }),
  enable: intent({
    permission: "admin:webhooks",
    run: ({ endpointId, page, user }) => {
      if (!setWebhookEnabled({ endpointId, enabled: true, actorId: user.id }).ok) throw notFound();
      return redirectWithNotice(page, "Endpoint enabled.");
    },
  }),
  delete: intent({
    permission: "admin:webhooks",
    run: ({ endpointId, user }) => {
      if (!deleteWebhookEndpoint({ endpointId, actorId: user.id }).ok) throw notFound();
      return redirectWithNotice("/admin/webhooks", "Endpoint deleted, with its delivery log.");
    },
  }),
  resend: intent({
    permission: "admin:webhooks",
    schema: deliveryRowSchema,
    run: ({ endpointId, page, input, user }) => {
      const result = resendDelivery({ endpointId, deliveryId: input.deliveryId, actorId: user.id });
      if (!result.ok) return refuse({ form: "That delivery is not in this endpoint's log." }, 404);
      return redirectWithNotice(page, "The event will be sent again, with the same webhook-id.");
    },
  }),
  test: intent({
    permission: "admin:webhooks",
    run: ({ endpointId, page, user }) => {
      const result = sendTestEvent({ endpointId, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, "A test event is on its way; it shows in the log below.");
      if (result.reason === "not-found") throw notFound();
      return refuse({ form: "This endpoint is disabled: enable it to send a test event." }, 409);
    },
  }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    context: () => {
      const { id } = findEndpoint(params.id);
      return { endpointId: id, page: `/admin/webhooks/${id}` };
    },
  });
}

const stateLabels: Record<DeliveryState, string> = {
  pending: "Waiting",
  delivered: "Delivered",
  dead: "Failed for good",
};
const stateClass: Record<DeliveryState, string> = { pending: "pending", delivered: "sent", dead: "dead" };

type Delivery = ReturnType<typeof useLoaderData<typeof loader>>["deliveries"][number];

function Attempts({ delivery }: { delivery: Delivery }) {
  if (!delivery.attempts.length) return <span className="muted">Not tried yet</span>;
  return (
    <ol>
      {delivery.attempts.map((a) => (
        <li key={a.id}>
          Attempt {a.attempt} · <Time value={a.createdAt} /> ·{" "}
          {a.statusCode === null ? "no answer" : `HTTP ${a.statusCode}`} · {a.durationMs} ms
          {a.error ? <div>{a.error}</div> : null}
          {a.responseExcerpt ? (
            <div>
              Response: <code>{a.responseExcerpt}</code>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

const columns: Column<Delivery>[] = [
  { header: "Created", cell: (d) => <Time value={d.createdAt} /> },
  {
    header: "Event",
    rowHeader: true,
    cell: (d) => (
      <>
        <code>{d.event}</code>
        {d.test ? " (test)" : null}
        <div className="muted">
          <code>{d.messageId}</code>
        </div>
      </>
    ),
  },
  { header: "Attempts", cell: (d) => <Attempts delivery={d} /> },
  {
    header: "State",
    cell: (d) => (
      <>
        <span className={`mail-state ${stateClass[d.state]}`}>{stateLabels[d.state]}</span>
        {d.state === "pending" && d.attempts.length ? (
          <div className="muted">
            Next attempt <Time value={d.nextAttemptAt} relative />
          </div>
        ) : null}
      </>
    ),
  },
  {
    header: "Actions",
    hideHeader: true,
    cell: (d) => (
      <Form method="post">
        <input type="hidden" name="intent" value="resend" />
        <input type="hidden" name="deliveryId" value={d.id} />
        <button type="submit" className="secondary">
          Send again<span className="visually-hidden"> delivery {d.messageId}</span>
        </button>
      </Form>
    ),
  },
];

export default function AdminWebhook() {
  const { endpoint, secret, counts, deliveries, page, total, pageSize, allowPrivate, previousSecretSigns } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const edited = reply?.intent === "edit" ? reply : undefined;
  const formError = reply && reply.intent !== "edit" ? reply.errors.form : undefined;
  const enabled = endpoint.disabledAt === null;
  return (
    <>
      <p>
        <Link to="/admin/webhooks">← All webhooks</Link>
      </p>
      <h1 className="mail-subject">{endpoint.url}</h1>
      <p className="meta-line">
        <span className={`mail-state ${enabled ? "sent" : "dead"}`}>{enabled ? "Enabled" : "Disabled"}</span>
        <span aria-hidden="true">·</span>
        <span>
          Registered <Time value={endpoint.createdAt} relative />
        </span>
        <span aria-hidden="true">·</span>
        <span>
          {counts.pending} waiting, {counts.delivered} delivered, {counts.dead} failed for good
        </span>
        <span aria-hidden="true">·</span>
        <span>{endpoint.failureStreak} failed attempts in a row</span>
      </p>
      {endpoint.description ? <p>{endpoint.description}</p> : null}
      {secret ? (
        <div className="notice">
          <p>
            <strong>Signing secret</strong> (shown only now; copy it into the receiver):
          </p>
          <p>
            <code>{secret}</code>
          </p>
        </div>
      ) : null}
      {!enabled ? (
        <p className="notice">
          Disabled <Time value={endpoint.disabledAt ?? endpoint.createdAt} relative />: {endpoint.disabledReason}
        </p>
      ) : null}
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}

      <div className="actions">
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <button type="submit">Send a test event</button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value={enabled ? "disable" : "enable"} />
          <button type="submit" className="secondary">
            {enabled ? "Disable" : "Enable"}
          </button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="rotate" />
          <button type="submit" className="secondary">
            Rotate secret
          </button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger">
            Delete endpoint
          </button>
        </Form>
      </div>
      {previousSecretSigns && endpoint.previousSecretUntil ? (
        <p className="muted">
          The previous secret also signs until <Time value={endpoint.previousSecretUntil} />.
        </p>
      ) : null}

      <h2>Delivery log</h2>
      {deliveries.length ? (
        <DataTable
          caption="Deliveries, newest first"
          captionHidden
          columns={columns}
          rows={deliveries}
          rowKey={(d) => d.id}
        />
      ) : (
        <p>Nothing sent yet.</p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />

      <h2>Change the endpoint</h2>
      <WebhookEndpointForm
        intent="edit"
        idPrefix="edit-webhook"
        values={edited ? typedValues(edited.values) : endpoint}
        errors={edited?.errors}
        submitLabel="Save endpoint"
        allowPrivate={allowPrivate}
      />
    </>
  );
}
