import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import Bowser from "bowser";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { Time } from "~/components/time";
import { endOtherUserSessions, endUserSession, listUserSessions, sessionHandle } from "~/models/session.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { endSession, requireUserAndSession } from "~/services/session.server";
import { sessionSchema } from "~/validation/account";
import { intentsFor } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Your account · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireUserAndSession(request);
  const current = sessionHandle(session.id);
  return {
    user: { displayName: user.displayName, email: user.email, organization: user.organization, team: user.team },
    sessions: listUserSessions(user.id).map((s) => ({
      handle: s.handle,
      device: describeDevice(s.userAgent),
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      current: s.handle === current,
    })),
  };
}

// The session the request came with: the one that stays signed in.
type Context = { sessionId: string };
const intent = intentsFor<Context>();

const intents = {
  "sign-out-session": intent({
    permission: "account:sessions",
    schema: sessionSchema,
    run: ({ input, user, sessionId, request }) => {
      // Ending the session in use is an ordinary sign-out: the cookie goes too.
      if (input.session === sessionHandle(sessionId)) return endSession(request);
      const result = endUserSession({ handle: input.session, userId: user.id });
      return redirectWithNotice(
        "/account",
        result.ok ? "Signed out of that device." : "That device was already signed out.",
      );
    },
  }),
  "sign-out-others": intent({
    permission: "account:sessions",
    run: ({ user, sessionId }) => {
      const { ended } = endOtherUserSessions({ keepId: sessionId, userId: user.id });
      return redirectWithNotice("/account", `Signed out of ${plural(ended, "other device")}.`);
    },
  }),
  "sign-out-everywhere": intent({
    permission: "account:sessions",
    run: ({ user, sessionId, request }) => {
      endOtherUserSessions({ keepId: sessionId, userId: user.id });
      return endSession(request, "Signed out on every device.");
    },
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents, {
    context: async () => ({ sessionId: (await requireUserAndSession(request)).session.id }),
  });
}

function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const { browser, os } = Bowser.parse(userAgent);
  const parts = [browser.name, os.name].filter(Boolean);
  return parts.length === 2 ? `${parts[0]} on ${parts[1]}` : (parts[0] ?? userAgent.slice(0, 60));
}

type Device = ReturnType<typeof useLoaderData<typeof loader>>["sessions"][number];

const columns: Column<Device>[] = [
  {
    header: "Device",
    cell: (s) => (
      <>
        {s.device}
        {s.current ? <strong> (this device)</strong> : null}
      </>
    ),
  },
  { header: "Signed in", cell: (s) => <Time value={s.createdAt} relative /> },
  { header: "Expires", cell: (s) => <Time value={s.expiresAt} /> },
  {
    header: "Action",
    hideHeader: true,
    cell: (s) => (
      <Form method="post">
        <input type="hidden" name="session" value={s.handle} />
        <button type="submit" name="intent" value="sign-out-session" className="secondary">
          Sign out<span className="visually-hidden"> {s.device}</span>
        </button>
      </Form>
    ),
  },
];

export default function Account() {
  const { user, sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your account</h1>
      <dl className="account-details">
        <dt>Name</dt>
        <dd>{user.displayName}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        {user.organization ? (
          <>
            <dt>Organization</dt>
            <dd>{user.organization}</dd>
          </>
        ) : null}
        {user.team ? (
          <>
            <dt>Team</dt>
            <dd>{user.team}</dd>
          </>
        ) : null}
      </dl>

      <h2>Where you are signed in</h2>
      <DataTable
        caption="Where you are signed in"
        captionHidden
        columns={columns}
        rows={sessions}
        rowKey={(s) => s.handle}
      />
      <div className="actions">
        {sessions.length > 1 ? (
          <Form method="post">
            <button type="submit" name="intent" value="sign-out-others" className="secondary">
              Sign out all other devices
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </>
  );
}
