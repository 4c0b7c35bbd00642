import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { InputField } from "~/components/form-fields";
import { formatDate, plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { SelectFilter } from "~/components/select-filter";
import { roleLabels, roles } from "~/domain";
import { setUserBlocked } from "~/models/moderation.server";
import { listTeams, type Team } from "~/models/team.server";
import {
  type AdminUser,
  changeUserAccess,
  getUserForAdmin,
  listUsersForAdmin,
  setUserDisabled,
} from "~/models/user.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { organizationMax, userAccessSchema, userRowSchema } from "~/validation/admin";
import { pageSize, parseId, parsePage, parseSearchText, searchQueryMax } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Users · Admin · Asklog" }];

const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const params = new URL(request.url).searchParams;
  const q = parseSearchText(params.get("q"));
  const role = roles.find((r) => r === params.get("role"));
  const page = parsePage(params.get("page"));
  const editId = parseId(params.get("edit"));
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

// Back to the same list and the same open user, now showing the change.
type Context = { back: string };
const intent = intentsFor<Context>();
const notFound = () => data("User not found", { status: 404 });

const intents = {
  access: intent({
    permission: "admin:users",
    schema: userAccessSchema,
    run: ({ input, user, back }) => {
      const result = changeUserAccess({ ...input, actorId: user.id });
      if (result.ok) return redirectWithNotice(back, "Role, team and organization saved.");
      if (result.reason === "self") {
        return refuse({ role: "You cannot change your own role; ask another admin to do it." });
      }
      if (result.reason === "unknown-team") return refuse({ teamId: "Choose one of the listed teams." });
      throw notFound();
    },
  }),
  disable: disabling(true, "Account disabled: signed out everywhere."),
  enable: disabling(false, "Account enabled."),
  block: blocking(true, "Blocked from posting."),
  unblock: blocking(false, "Allowed to post again."),
};

// Disable and enable answer alike but for the notice; so do block and unblock.
function disabling(disabled: boolean, notice: string) {
  return intent({
    permission: "admin:users",
    schema: userRowSchema,
    run: ({ input, user, back }) => {
      const result = setUserDisabled({ userId: input.userId, disabled, actorId: user.id });
      if (result.ok) return redirectWithNotice(back, notice);
      if (result.reason === "self") {
        return refuse({ form: "You cannot disable your own account: no one could enable it again." });
      }
      throw notFound();
    },
  });
}

function blocking(blocked: boolean, notice: string) {
  return intent({
    permission: "admin:users",
    schema: userRowSchema,
    run: ({ input, user, back }) => {
      const result = setUserBlocked({ userId: input.userId, blocked, actorId: user.id });
      if (result.ok) return redirectWithNotice(back, notice);
      if (result.reason === "self") return refuse({ form: "You cannot block or unblock yourself." });
      throw notFound();
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  return handleIntents(request, intents, { context: () => ({ back: `${url.pathname}${url.search}` }) });
}

export default function AdminUsers() {
  const { users, total, page, pageSize, filter, editing, teams, selfId } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editHref = (id?: number) => {
    const next = new URLSearchParams(params);
    if (id) next.set("edit", String(id));
    else next.delete("edit");
    return id ? `?${next}#edit-user` : `?${next}`;
  };
  const columns: Column<AdminUser>[] = [
    {
      header: "Name",
      cell: (u) => (
        <>
          {u.displayName}
          {u.id === selfId ? " (you)" : ""}
          <br />
          <span className="muted">{u.email}</span>
        </>
      ),
    },
    { header: "Role", cell: (u) => roleLabels[u.role] },
    { header: "Team", cell: (u) => u.team ?? "—" },
    { header: "Organization", cell: (u) => u.organization ?? "—" },
    { header: "State", cell: userState },
    { header: "Joined", cell: (u) => <time dateTime={u.createdAt}>{formatDate(u.createdAt)}</time> },
    {
      header: "Actions",
      hideHeader: true,
      cell: (u) => (
        <Link to={editHref(u.id)}>
          Edit<span className="visually-hidden"> {u.displayName}</span>
        </Link>
      ),
    },
  ];
  return (
    <>
      <h1>Users</h1>
      <Form method="get" className="filters" aria-label="Search users">
        <div className="field">
          <label htmlFor="q">Name or email</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} maxLength={searchQueryMax} />
        </div>
        <SelectFilter
          id="role"
          name="role"
          label="Role"
          anyLabel="All roles"
          value={filter.role}
          options={roleOptions}
        />
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
        <DataTable caption="Users" captionHidden columns={columns} rows={users} rowKey={(u) => u.id} />
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
  user: AdminUser;
  teams: Team[];
  self: boolean;
  reply: ReturnType<typeof useActionData<typeof action>>;
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
  const accountError = reply?.intent === "disable" ? reply.errors.form : undefined;
  const postingError = reply?.intent === "block" || reply?.intent === "unblock" ? reply.errors.form : undefined;
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
        <InputField
          id="user-organization"
          name="organization"
          label="Organization"
          error={errors.organization}
          hint="A new name creates the organization."
          type="text"
          maxLength={organizationMax}
          defaultValue={values.organization}
        />
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
        ) : self ? (
          <p className="muted">You cannot block yourself.</p>
        ) : (
          <p>
            Blocking keeps them reading and following, but they can no longer file, vote or comment.{" "}
            <button
              type="submit"
              name="intent"
              value="block"
              aria-describedby={postingError ? "posting-error" : undefined}
            >
              Block from posting
            </button>
          </p>
        )}
        {postingError ? (
          <p className="error" id="posting-error" role="alert">
            {postingError}
          </p>
        ) : null}
      </Form>
      <p>
        <Link to={closeHref}>Close</Link>
      </p>
    </section>
  );
}
