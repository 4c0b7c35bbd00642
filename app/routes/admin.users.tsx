import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { InputField } from "~/components/form-fields";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { SelectFilter } from "~/components/select-filter";
import { Time } from "~/components/time";
import { roleLabels, roles } from "~/domain";
import { setUserBlocked } from "~/models/moderation.server";
import type { Result } from "~/models/result";
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
import { userAccessSchema, userRowSchema } from "~/validation/admin";
import { organizationMax } from "~/validation/admin-rules";
import { pageSize, parseId, parsePage, parseSearchText, searchQueryMax } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Users · Admin · Asklog" }];

const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));

// Shown instead of an address for someone an import brought in, until they sign up with theirs.
const notClaimed = "Imported, not claimed";

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const params = new URL(request.url).searchParams;
  const q = parseSearchText(params.get("q")).trim();
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
const cannotDisable = "You cannot disable your own account: no one could enable it again.";
const cannotBlock = "You cannot block or unblock yourself.";

const intents = () => ({
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
  disable: userSwitch("Account disabled: signed out everywhere.", cannotDisable, (userId, actorId) =>
    setUserDisabled({ userId, disabled: true, actorId }),
  ),
  enable: userSwitch("Account enabled.", cannotDisable, (userId, actorId) =>
    setUserDisabled({ userId, disabled: false, actorId }),
  ),
  block: userSwitch("Blocked from posting.", cannotBlock, (userId, actorId) =>
    setUserBlocked({ userId, blocked: true, actorId }),
  ),
  unblock: userSwitch("Allowed to post again.", cannotBlock, (userId, actorId) =>
    setUserBlocked({ userId, blocked: false, actorId }),
  ),
});

// Disabling and blocking, and undoing them, answer alike but for their words.
function userSwitch(
  notice: string,
  self: string,
  change: (userId: number, actorId: number) => Result<"not-found" | "self">,
) {
  return intent({
    permission: "admin:users",
    schema: userRowSchema,
    run: ({ input, user, back }) => {
      const result = change(input.userId, user.id);
      if (result.ok) return redirectWithNotice(back, notice);
      if (result.reason === "self") return refuse({ form: self });
      throw notFound();
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  return handleIntents(request, intents(), { context: () => ({ back: `${url.pathname}${url.search}` }) });
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
      rowHeader: true,
      cell: (u) => (
        <>
          {u.displayName}
          {u.id === selfId ? " (you)" : ""}
          <br />
          <span className="muted">{u.email ?? notClaimed}</span>
        </>
      ),
    },
    { header: "Role", cell: (u) => roleLabels[u.role] },
    { header: "Team", cell: (u) => u.team ?? "—" },
    { header: "Organization", cell: (u) => u.organization ?? "—" },
    { header: "State", cell: userState },
    { header: "Joined", cell: (u) => <Time value={u.createdAt} /> },
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
  return (
    <section id="edit-user" aria-labelledby="edit-user-title" className="notice">
      <h2 id="edit-user-title">
        {user.displayName} <span className="muted">({user.email ?? notClaimed})</span>
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

      <UserSwitch
        id="account"
        heading="Account"
        userId={user.id}
        since={user.disabledAt}
        sinceText={["Disabled since", ": cannot sign in."]}
        undo={["enable", "Enable account"]}
        explain="Disabling signs them out everywhere at once and stops them signing in."
        act={["disable", "Disable account"]}
        selfText={self ? "You cannot disable your own account." : undefined}
        error={reply?.intent === "disable" ? reply.errors.form : undefined}
      />
      <UserSwitch
        id="posting"
        heading="Posting"
        userId={user.id}
        since={user.blockedAt}
        sinceText={["Blocked from posting since", "."]}
        undo={["unblock", "Allow posting again"]}
        explain="Blocking keeps them reading and following, but they can no longer file, vote or comment."
        act={["block", "Block from posting"]}
        selfText={self ? "You cannot block yourself." : undefined}
        error={reply?.intent === "block" || reply?.intent === "unblock" ? reply.errors.form : undefined}
      />
      <p>
        <Link to={closeHref}>Close</Link>
      </p>
    </section>
  );
}

type UserSwitchProps = {
  id: string;
  heading: string;
  userId: number;
  // When it was switched on (disabled, blocked); null while off.
  since: string | null;
  sinceText: [string, string];
  undo: [intent: string, label: string];
  explain: string;
  act: [intent: string, label: string];
  // Set when the admin is looking at their own account, which they may not switch on.
  selfText: string | undefined;
  error: string | undefined;
};

// Disable or block, or undo it: one button that says what it does, and why it was refused.
function UserSwitch({ id, heading, userId, since, sinceText, undo, explain, act, selfText, error }: UserSwitchProps) {
  return (
    <>
      <h3>{heading}</h3>
      <Form method="post">
        <input type="hidden" name="userId" value={userId} />
        {since ? (
          <p>
            {sinceText[0]} <Time value={since} />
            {sinceText[1]}{" "}
            <button type="submit" name="intent" value={undo[0]} className="secondary">
              {undo[1]}
            </button>
          </p>
        ) : selfText ? (
          <p className="muted">{selfText}</p>
        ) : (
          <p>
            {explain}{" "}
            <button type="submit" name="intent" value={act[0]} aria-describedby={error ? `${id}-error` : undefined}>
              {act[1]}
            </button>
          </p>
        )}
        {error ? (
          <p className="error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : null}
      </Form>
    </>
  );
}
