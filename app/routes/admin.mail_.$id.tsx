import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { mailPurposeLabels, mailStateLabels } from "~/mail-labels";
import { getMail, retryMail } from "~/models/outbox.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { settings } from "~/settings.server";
import { parseId } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? data.mail.subject : "Mail"} · Admin · Asklog` },
];

function findMail(param: string | undefined) {
  const id = parseId(param);
  const mail = id === undefined ? undefined : getMail(id);
  if (!mail) throw data("Message not found", { status: 404 });
  return mail;
}

// The extra headers stored with a message (List-Unsubscribe, threading), as name and value.
function storedHeaders(json: string): [string, string][] {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([name, v]): [string, string][] => (typeof v === "string" ? [[name, v]] : []));
  } catch {
    return [];
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:mail");
  const mail = findMail(params.id);
  const mailSettings = settings().mail;
  return {
    mail: {
      id: mail.id,
      purpose: mail.purpose,
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.textBody,
      state: mail.state,
      attempts: mail.attempts,
      lastError: mail.lastError,
      createdAt: mail.createdAt,
      sentAt: mail.sentAt,
      nextAttemptAt: mail.nextAttemptAt,
    },
    from: mailSettings.from,
    headers: storedHeaders(mail.headers),
    kept: mailSettings.smtpUrl === undefined,
  };
}

const intent = intentsFor<{ mailId: number }>();

const intents = () => ({
  retry: intent({
    permission: "admin:mail",
    run: ({ mailId, user }) => {
      const result = retryMail({ mailId, actorId: user.id });
      if (result.ok) return redirectWithNotice(`/admin/mail/${mailId}`, "The message will be sent again.");
      if (result.reason === "not-found") throw data("Message not found", { status: 404 });
      return refuse({ form: "Only a message that failed for good can be sent again; this one has not." }, 409);
    },
  }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { context: () => ({ mailId: findMail(params.id).id }) });
}

export default function AdminMailMessage() {
  const { mail, from, headers, kept } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const headerLines: [string, string][] = [["From", from], ["To", mail.to], ["Subject", mail.subject], ...headers];
  return (
    <>
      <p>
        <Link to="/admin/mail">← All mail</Link>
      </p>
      <h1 className="mail-subject">{mail.subject}</h1>
      <p className="meta-line">
        <span className={`mail-state ${mail.state}`}>{mailStateLabels[mail.state]}</span>
        <span aria-hidden="true">·</span>
        <span>{mailPurposeLabels[mail.purpose]}</span>
        <span aria-hidden="true">·</span>
        <span>
          Created <Time value={mail.createdAt} relative />
        </span>
        {mail.sentAt ? (
          <>
            <span aria-hidden="true">·</span>
            <span>
              {kept ? "Kept" : "Sent"} <Time value={mail.sentAt} relative />
            </span>
          </>
        ) : null}
        {mail.state === "pending" ? (
          <>
            <span aria-hidden="true">·</span>
            <span>
              Next attempt <Time value={mail.nextAttemptAt} relative />
            </span>
          </>
        ) : null}
        <span aria-hidden="true">·</span>
        <span>{mail.attempts === 1 ? "1 attempt" : `${mail.attempts} attempts`}</span>
      </p>
      {kept ? (
        <p className="notice">
          No SMTP server is set (<code>SMTP_URL</code>), so this message was not sent anywhere: it is kept here, as its
          recipient would see it.
        </p>
      ) : null}
      {mail.lastError ? (
        <div className="mail-error">
          <h2>Last error</h2>
          <pre>{mail.lastError}</pre>
        </div>
      ) : null}
      {mail.state === "dead" ? (
        <Form method="post" className="mail-retry">
          <input type="hidden" name="intent" value="retry" />
          <button type="submit">Send again</button>
          {reply?.errors.form ? (
            <p className="form-error" role="alert">
              {reply.errors.form}
            </p>
          ) : null}
        </Form>
      ) : null}

      <h2>Headers</h2>
      <dl className="mail-headers">
        {headerLines.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <h2>Text</h2>
      <pre className="mail-text">{mail.text}</pre>

      <h2>HTML</h2>
      {/* The HTML part carries its own inline styles, which this page's policy forbids: it is served from its
          own address with a policy that allows those styles and nothing else (server/security-headers.ts),
          and the empty sandbox keeps any script or form in it from running. */}
      <iframe
        className="mail-frame"
        sandbox=""
        title="The HTML part of the message, as its recipient sees it"
        src={`/admin/mail/${mail.id}/html`}
      />
    </>
  );
}
