import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { deliveries, notificationKindLabels } from "~/domain";
import { eventAsk } from "~/models/event.server";
import { follow, isFollowing, unfollow } from "~/models/subscription.server";
import { addressState, setKindDelivery, setMailOff } from "~/models/user.server";
import { type UnsubscribeClaim, unsubscribePurpose } from "~/services/mail-message.server";
import { verifyToken } from "~/services/signed-token.server";
import { unsubscribeClaimSchema } from "~/validation/unsubscribe";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Asklog" }];

// The link in every message (List-Unsubscribe). The signed token names the person and what to
// stop, so nothing here reads a session: it works signed out, from any device, and a mail
// client's one-click POST (RFC 8058: `List-Unsubscribe=One-Click`, no cookie, no Origin) is
// let through the cross-site check for this path alone (server/origin.ts).

type UnsubscribeLink =
  | { ok: true; claim: UnsubscribeClaim; what: string; email: string }
  | { ok: false; problem: string };

function readLink(token: string): UnsubscribeLink {
  const verified = verifyToken<unknown>(unsubscribePurpose, token);
  if (!verified.ok) {
    return {
      ok: false,
      problem:
        verified.reason === "expired"
          ? "This unsubscribe link has expired: links work for 90 days after their message was sent."
          : "Asklog did not make this link, or part of it was lost when it was copied.",
    };
  }
  const claim = unsubscribeClaimSchema.safeParse(verified.payload);
  const account = claim.success ? addressState(claim.data.userId) : undefined;
  if (!claim.success || !account) return { ok: false, problem: "The account this link was made for no longer exists." };
  return { ok: true, claim: claim.data, what: describe(claim.data), email: account.email };
}

function describe({ scope }: UnsubscribeClaim): string {
  if ("all" in scope) return "all mail from Asklog";
  if ("kind" in scope) {
    return scope.kind === "new_ask"
      ? "mail about new asks"
      : `mail about ${notificationKindLabels[scope.kind].toLowerCase()}`;
  }
  const ask = eventAsk(scope.askId);
  return ask ? `mail about #${ask.id} ${ask.title}` : `mail about ask #${scope.askId}`;
}

// Stops what the link names and answers what it was before, for the undo button.
function stop({ userId, scope }: UnsubscribeClaim): string {
  if ("all" in scope) {
    const result = setMailOff({ userId, off: true });
    return result.ok && result.wasOff ? "off" : "on";
  }
  if ("kind" in scope) {
    const result = setKindDelivery({ userId, kind: scope.kind, delivery: "off" });
    return (result.ok ? result.before : null) ?? "default";
  }
  const was = isFollowing(scope.askId, userId);
  unfollow({ askId: scope.askId, userId });
  return was ? "follow" : "none";
}

// Puts back what `stop` answered. A changed `restore` can only choose among the person's own
// settings for what the link names, which the link's holder may change anyway.
function undo({ userId, scope }: UnsubscribeClaim, restore: string): void {
  if ("all" in scope) {
    if (restore !== "off") setMailOff({ userId, off: false });
  } else if ("kind" in scope) {
    setKindDelivery({ userId, kind: scope.kind, delivery: deliveries.find((d) => d === restore) ?? null });
  } else if (restore !== "none") {
    follow({ askId: scope.askId, userId });
  }
}

export async function loader({ params }: LoaderFunctionArgs) {
  const link = readLink(params.token ?? "");
  if (!link.ok) return data({ problem: link.problem, what: null, email: null }, { status: 400 });
  return { problem: null, what: link.what, email: link.email };
}

// Not an intent table (docs/decisions/008): the one-click POST comes from a mail client, not a
// form of ours. It carries no intent, and the token, not a signed-in user, is the permission.
// It is answered with the page itself (200), not a redirect, which mail clients need not follow.
export async function action({ request, params }: ActionFunctionArgs) {
  const link = readLink(params.token ?? "");
  if (!link.ok) return data({ outcome: "refused" as const, restore: null }, { status: 400 });
  const form = await request.formData();
  if (form.get("intent") === "undo") {
    undo(link.claim, String(form.get("restore") ?? ""));
    return { outcome: "restored" as const, restore: null };
  }
  return { outcome: "stopped" as const, restore: stop(link.claim) };
}

export default function Unsubscribe() {
  const { problem, what, email } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const settings = (
    <p>
      <Link to="/account#notifications">All your mail settings</Link> (you will be asked to sign in).
    </p>
  );
  if (problem !== null) {
    return (
      <div className="auth-form">
        <h1>This unsubscribe link does not work</h1>
        <p className="form-error" role="alert">
          {problem} Nothing was changed.
        </p>
        {settings}
      </div>
    );
  }
  if (reply?.outcome === "stopped") {
    return (
      <div className="auth-form">
        <h1>Unsubscribed</h1>
        <p role="status">
          {email} will get no more {what}.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="undo" />
          <input type="hidden" name="restore" value={reply.restore} />
          <button type="submit" disabled={navigation.state === "submitting"}>
            Undo
          </button>
        </Form>
        {settings}
      </div>
    );
  }
  return (
    <div className="auth-form">
      <h1>Unsubscribe</h1>
      {reply?.outcome === "restored" ? (
        <p role="status">
          Undone: {email} gets {what} again.
        </p>
      ) : null}
      <Form method="post">
        <p>
          This stops {what} to {email}.
        </p>
        <button type="submit" disabled={navigation.state === "submitting"}>
          Unsubscribe
        </button>
      </Form>
      {settings}
    </div>
  );
}
