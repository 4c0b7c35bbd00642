import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/field";
import { formatDate, plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { setUserBlocked } from "~/models/moderation.server";
import { listTeams } from "~/models/team.server";
import { changeUserAccess, getUserForAdmin, listUsersForAdmin, setUserDisabled } from "~/models/user.server";
import { refuseIntent } from "~/services/intent-reply.server";
import { requirePermission } from "~/services/permission.server";
import { formId, roleLabels, roles, userAccessSchema } from "~/validation/admin";
import { pageSize, parsePage } from "~/validation/fields";
import { formValues, type IntentReply, parseForm } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Users · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const role = roles.find((r) => r === params.get("role"));
  const page = parsePage(params.get("page"));
  const editId = formId(params.get("edit"));
  return {
    ...listUsersForAdmin({ q: q || undefined, role, page }),
    page,
    pageSize,
    filter: { q, role: role ?? "" },
    editing: editId ? (getUserForAdmin(editId) ?? null) : null,
    teams: listTeams(),
    selfId: admin.id,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const userId = formId(form.get("userId"));
  if (!userId) throw data("User not found", { status: 404 });
  // Back to the same list and the same open user, now showing the change.
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;

  if (intent === "access") {
    const parsed = parseForm(userAccessSchema, form);
    if (!parsed.ok) return refuseIntent(intent, parsed.errors, parsed.values);
    const result = changeUserAccess(admin.id, userId, parsed.data);
    if (result.ok) return redirect(back);
    if (result.reason === "self") {
      return refuseIntent(
        intent,
        { role: "You cannot change your own role; ask another admin to do it." },
        formValues(form),
      );
    }
    if (result.reason === "unknown-team") {
      return refuseIntent(intent, { teamId: "Choose one of the listed teams." }, formValues(form));
    }
    throw data("User not found", { status: 404 });
  }

  if (intent === "disable" || intent === "enable") {
    const result = setUserDisabled(admin.id, userId, intent === "disable");
    if (result.ok) return redirect(back);
    if (result.reason === "self") {
      return refuseIntent(intent, { account: "You cannot disable your own account: no one could enable it again." });
    }
    throw data("User not found", { status: 404 });
  }

  if (intent === "block" || intent === "unblock") {
    if (!setUserBlocked(userId, admin.id, intent === "block")) throw data("User not found", { status: 404 });
    return redirect(back);
  }

  throw data("Unknown action", { status: 400 });
}

export default function AdminUsers() {
  const { users, total, page, pageSize, filter, editing, teams, selfId } = useLoaderData<typeof loader>();
  const reply = useActionData<IntentReply>();
  const [params] = useSearchParams();
  const editHref = (id?: number) => {
    const next = new URLSearchParams(params);
    if (id) next.set("edit", String(id));
    else next.delete("edit");
    return id ? `?${next}#edit-user` : `?${next}`;
  };
  return (
    <>
      <h1>Users</h1>
      <Form method="get" className="filters" aria-label="Search users">
        <div className="field">
          <label htmlFor="q">Name or email</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="role">Role</label>
          <select id="role" name="role" defaultValue={filter.role}>
            <option value="">All roles</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </Form>

      {editing ? (
        <EditUser
          key={editing.id}
          user={editing}
          teams={teams}
          self={editing.id === selfId}
          reply={reply}
          closeHref={editHref()}
        />
      ) : null}

      <p className="muted" aria-live="polite">
        {plural(total, "user")}
      </p>
      {users.length ? (
        <table>
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Team</th>
              <th scope="col">Organization</th>
              <th scope="col">State</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  {u.displayName}
                  {u.id === selfId ? " (you)" : ""}
                  <br />
                  <span className="muted">{u.email}</span>
                </th>
                <td>{roleLabels[u.role]}</td>
                <td>{u.team ?? "—"}</td>
                <td>{u.organization ?? "—"}</td>
                <td>{userState(u)}</td>
                <td>
                  <time dateTime={u.createdAt}>{formatDate(u.createdAt)}</time>
                </td>
                <td>
                  <Link to={editHref(u.id)}>
                    Edit<span className="visually-hidden"> {u.displayName}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No users match.</p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}

function userState(u: { disabledAt: string | null; blockedAt: string | null }): string {
  if (u.disabledAt) return "Disabled";
  if (u.blockedAt) return "Blocked from posting";
  return "Active";
}

type EditUserProps = {
  user: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["editing"]>;
  teams: { id: number; name: string }[];
  self: boolean;
  reply: IntentReply | undefined;
  closeHref: string;
};

function EditUser({ user, teams, self, reply, closeHref }: EditUserProps) {
  const access = reply?.intent === "access" ? reply : undefined;
  const errors = access?.errors ?? {};
  const values = access?.values ?? {
    role: user.role,
    teamId: user.teamId ? String(user.teamId) : "",
    organization: user.organization ?? "",
  };
  const accountError = reply?.intent === "disable" ? reply.errors.account : undefined;
  return (
    <section id="edit-user" aria-labelledby="edit-user-title" className="notice">
      <h2 id="edit-user-title">
        {user.displayName} <span className="muted">({user.email})</span>
      </h2>
      {access ? (
        <p className="form-error" role="alert">
          Please correct the fields marked below.
        </p>
      ) : null}
      {/* Remounted after each save so the fields show what is stored now. */}
      <Form method="post" noValidate key={`${user.role}-${user.teamId}-${user.organization}`}>
        <input type="hidden" name="userId" value={user.id} />
        <Field
          id="user-role"
          label="Role"
          error={errors.role}
          hint={self ? "Your own role can only be changed by another admin." : undefined}
        >
          {(describedBy, invalid) => (
            <select
              id="user-role"
              name="role"
              defaultValue={values.role}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="user-team"
          label="Team"
          error={errors.teamId}
          hint="Required for team members. Partners are never on a team."
        >
          {(describedBy, invalid) => (
            <select
              id="user-team"
              name="teamId"
              defaultValue={values.teamId ?? ""}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            >
              <option value="">No team</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="user-organization"
          label="Organization"
          error={errors.organization}
          hint="A new name creates the organization."
        >
          {(describedBy, invalid) => (
            <input
              id="user-organization"
              name="organization"
              type="text"
              maxLength={80}
              defaultValue={values.organization}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <button type="submit" name="intent" value="access">
          Save role, team and organization
        </button>
      </Form>

      <h3>Account</h3>
      <Form method="post">
        <input type="hidden" name="userId" value={user.id} />
        {user.disabledAt ? (
          <p>
            Disabled since <time dateTime={user.disabledAt}>{formatDate(user.disabledAt)}</time>: cannot sign in.{" "}
            <button type="submit" name="intent" value="enable" className="secondary">
              Enable account
            </button>
          </p>
        ) : self ? (
          <p className="muted">You cannot disable your own account.</p>
        ) : (
          <p>
            Disabling signs them out everywhere at once and stops them signing in.{" "}
            <button
              type="submit"
              name="intent"
              value="disable"
              aria-describedby={accountError ? "account-error" : undefined}
            >
              Disable account
            </button>
          </p>
        )}
        {accountError ? (
          <p className="error" id="account-error" role="alert">
            {accountError}
          </p>
        ) : null}
      </Form>

      <h3>Posting</h3>
      <Form method="post">
        <input type="hidden" name="userId" value={user.id} />
        {user.blockedAt ? (
          <p>
            Blocked from posting since <time dateTime={user.blockedAt}>{formatDate(user.blockedAt)}</time>.{" "}
            <button type="submit" name="intent" value="unblock" className="secondary">
              Allow posting again
            </button>
          </p>
        ) : (
          <p>
            Blocking keeps them reading and following, but they can no longer file, vote or comment.{" "}
            <button type="submit" name="intent" value="block">
              Block from posting
            </button>
          </p>
        )}
      </Form>
      <p>
        <Link to={closeHref}>Close</Link>
      </p>
    </section>
  );
}
