import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import Bowser from "bowser";
import { formatDate } from "~/components/format";
import { deleteOtherUserSessions, deleteUserSession, listUserSessions, sessionHandle } from "~/models/session.server";
import { endSession, requireUserAndSession } from "~/services/session.server";

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

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireUserAndSession(request);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "sign-out-session": {
      const handle = String(form.get("session") ?? "");
      // Ending the session in use is an ordinary sign-out: the cookie goes too.
      if (handle === sessionHandle(session.id)) return endSession(request);
      deleteUserSession(user.id, handle);
      return redirect("/account");
    }
    case "sign-out-others":
      deleteOtherUserSessions(user.id, session.id);
      return redirect("/account");
    case "sign-out-everywhere":
      deleteOtherUserSessions(user.id, session.id);
      return endSession(request);
    default:
      throw new Response("Unknown action", { status: 400 });
  }
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
