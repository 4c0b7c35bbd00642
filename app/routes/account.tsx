import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import Bowser from "bowser";
import { formatDate, plural } from "~/components/format";
import { endOtherUserSessions, endUserSession, listUserSessions, sessionHandle } from "~/models/session.server";
import { handleIntents, intentsFor } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { endSession, requireUserAndSession } from "~/services/session.server";
import { sessionSchema } from "~/validation/account";

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

      <h2 id="sessions-heading">Where you are signed in</h2>
      <table aria-labelledby="sessions-heading">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.handle}>
              <td>
                {s.device}
                {s.current ? <strong> (this device)</strong> : null}
              </td>
              <td>{formatDate(s.createdAt)}</td>
              <td>{formatDate(s.expiresAt)}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="session" value={s.handle} />
                  <button type="submit" name="intent" value="sign-out-session" className="secondary">
                    Sign out<span className="visually-hidden"> {s.device}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
