import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { InputField, TextAreaField } from "~/components/form-fields";
import { plural } from "~/components/format";
import { Time } from "~/components/time";
import {
  listOrganizationMerges,
  listOrganizations,
  mergeOrganizations,
  type OrganizationMergeRow,
  type OrganizationRow,
  renameOrganization,
  setOrganizationDomains,
  undoOrganizationMerge,
} from "~/models/organization.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { organizationPath } from "~/slug";
import { organizationMax, slugMax } from "~/validation/admin-rules";
import { parseId } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";
import {
  organizationDomainsSchema,
  organizationMergeSchema,
  organizationRenameSchema,
  organizationUndoSchema,
} from "~/validation/organization";

export const meta: MetaFunction = () => [{ title: "Organizations · Admin · Asklog" }];

const page = "/admin/orgs";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:organizations");
  const rows = listOrganizations();
  const editId = parseId(new URL(request.url).searchParams.get("edit"));
  return { rows, editing: rows.find((row) => row.id === editId) ?? null, merges: listOrganizationMerges() };
}

const intent = intentsFor();
const notFound = () => data("Organization not found", { status: 404 });
const editPage = (id: number) => `${page}?edit=${id}#edit-organization`;

// "Dell EMC" or "Dell EMC (merged into Dell)": whoever holds a name or address already.
function holder(refusal: { takenBy: string; mergedInto: string | null }): string {
  return refusal.mergedInto ? `${refusal.takenBy} (merged into ${refusal.mergedInto})` : refusal.takenBy;
}

function moved(people: number, domains: string[]): string {
  return domains.length
    ? `${plural(people, "person", "people")} and ${domains.join(", ")}`
    : plural(people, "person", "people");
}

const intents = () => ({
  rename: intent({
    permission: "admin:organizations",
    schema: organizationRenameSchema,
    run: ({ input, user }) => {
      const result = renameOrganization({ ...input, actorId: user.id });
      if (result.ok)
        return redirectWithNotice(editPage(result.id), `Saved: ${result.name} at /orgs/${result.slug ?? ""}.`);
      switch (result.reason) {
        case "name-taken":
          return refuse({ name: `${holder(result)} already has this name, in any case or spacing.` });
        case "slug-taken":
          return refuse({ slug: `${holder(result)} already has this address.` });
        case "name-empty":
          return refuse({ name: "Enter the organization's name." });
        default:
          throw notFound();
      }
    },
  }),
  domains: intent({
    permission: "admin:organizations",
    schema: organizationDomainsSchema,
    run: ({ input, user }) => {
      const result = setOrganizationDomains({ ...input, actorId: user.id });
      if (result.ok) {
        const notice = result.domains.length
          ? `Mail domains saved: ${result.domains.join(", ")}.`
          : "Mail domains removed: people join by typing the name.";
        return redirectWithNotice(editPage(input.id), notice);
      }
      if (result.reason === "domain-taken") {
        return refuse({ domains: `${result.domain} is already claimed by ${result.takenBy}.` });
      }
      throw notFound();
    },
  }),
  merge: intent({
    permission: "admin:organizations",
    schema: organizationMergeSchema,
    run: ({ input, user }) => {
      const result = mergeOrganizations({ ...input, actorId: user.id });
      if (result.ok) {
        return redirectWithNotice(
          `${page}#recent-merges`,
          `Merged ${result.from} into ${result.into}: ${moved(result.people, result.domains)} moved.`,
        );
      }
      switch (result.reason) {
        case "same":
          return refuse({ intoId: "An organization cannot be merged into itself: choose another one." });
        case "into-merged":
          return refuse({
            intoId: `${result.into} was merged into ${result.mergedInto}: merge into ${result.mergedInto} instead.`,
          });
        case "already-merged":
          return refuse({ fromId: "This organization was already merged; undo that merge first." });
        default:
          return refuse(
            { form: "One of these organizations no longer exists. Reload the page and choose again." },
            404,
          );
      }
    },
  }),
  undo: intent({
    permission: "admin:organizations",
    schema: organizationUndoSchema,
    run: ({ input, user }) => {
      const result = undoOrganizationMerge({ ...input, actorId: user.id });
      if (result.ok) {
        return redirectWithNotice(
          `${page}#recent-merges`,
          `Merge undone: ${result.from} is back, with ${moved(result.people, result.domains)}.`,
        );
      }
      switch (result.reason) {
        case "already-undone":
          return refuse({ form: "This merge was already undone." }, 409);
        case "into-merged":
          return refuse(
            { form: `${result.into} has since been merged into ${result.mergedInto}: undo that merge first.` },
            409,
          );
        default:
          throw data("Merge not found", { status: 404 });
      }
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents());
}

type Reply = ReturnType<typeof useActionData<typeof action>>;

const columns: Column<OrganizationRow>[] = [
  {
    header: "Organization",
    rowHeader: true,
    cell: (o) => (o.slug ? <Link to={organizationPath({ slug: o.slug })}>{o.name}</Link> : o.name),
  },
  { header: "Mail domains", cell: (o) => (o.domains.length ? o.domains.join(", ") : "—") },
  { header: "Members", cell: (o) => o.memberCount, numeric: true },
  { header: "Asks filed", cell: (o) => o.askCount, numeric: true },
  {
    header: "Actions",
    hideHeader: true,
    cell: (o) => (
      <Link to={editPage(o.id)}>
        Edit<span className="visually-hidden"> {o.name}</span>
      </Link>
    ),
  },
];

export default function AdminOrganizations() {
  const { rows, editing, merges } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <>
      <h1>Organizations</h1>
      <p className="muted">
        People join an organization by typing its name (in any case or spacing), or automatically when their address is
        at one of its mail domains. A merged organization's page and name lead to the one it was merged into.
      </p>
      {editing ? <EditOrganization key={editing.id} organization={editing} reply={reply} /> : null}
      {rows.length ? (
        <DataTable caption="Organizations" captionHidden columns={columns} rows={rows} rowKey={(o) => o.id} />
      ) : (
        <p>No organizations yet: they appear when people name theirs.</p>
      )}
      <MergeForm organizations={rows} reply={reply} preselected={editing?.id} />
      <RecentMerges merges={merges} reply={reply} />
    </>
  );
}

function EditOrganization({ organization, reply }: { organization: OrganizationRow; reply: Reply }) {
  const renamed = reply?.intent === "rename" ? reply : undefined;
  const domains = reply?.intent === "domains" ? reply : undefined;
  return (
    <section id="edit-organization" aria-labelledby="edit-organization-title" className="notice">
      <h2 id="edit-organization-title">Edit {organization.name}</h2>
      {/* Remounted after each save so the fields show what is stored now. */}
      <Form method="post" noValidate key={`${organization.name}-${organization.slug}`}>
        <input type="hidden" name="id" value={organization.id} />
        <InputField
          id="organization-name"
          name="name"
          label="Name"
          error={renamed?.errors.name}
          type="text"
          required
          maxLength={organizationMax}
          defaultValue={renamed?.values.name ?? organization.name}
        />
        <InputField
          id="organization-slug"
          name="slug"
          label="Page address"
          hint={`The organization's page is /orgs/ followed by this. Links to the old address stop working when it changes.`}
          error={renamed?.errors.slug}
          type="text"
          maxLength={slugMax}
          defaultValue={renamed?.values.slug ?? organization.slug ?? ""}
        />
        <button type="submit" name="intent" value="rename">
          Save name and address
        </button>
      </Form>
      <Form method="post" noValidate key={organization.domains.join(" ")}>
        <input type="hidden" name="id" value={organization.id} />
        <TextAreaField
          id="organization-domains"
          name="domains"
          label="Mail domains"
          hint={`One per line or separated by commas, like dell.com. Whoever signs up with an address there, or at a subdomain such as mail.dell.com, joins ${organization.name}; what they type as their organization is ignored.`}
          error={domains?.errors.domains}
          rows={3}
          defaultValue={domains?.values.domains ?? organization.domains.join("\n")}
        />
        <button type="submit" name="intent" value="domains">
          Save mail domains
        </button>
      </Form>
      <p>
        <Link to={page}>Close</Link>
      </p>
    </section>
  );
}

type MergeFormProps = { organizations: OrganizationRow[]; reply: Reply; preselected: number | undefined };

function MergeForm({ organizations, reply, preselected }: MergeFormProps) {
  const merge = reply?.intent === "merge" ? reply : undefined;
  const errors = merge?.errors ?? {};
  const select = (id: string, name: "fromId" | "intoId", label: string, placeholder: string, hint?: string) => (
    <Field id={id} label={label} error={errors[name]} hint={hint}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={name}
          defaultValue={merge?.values[name] ?? (name === "fromId" && preselected ? String(preselected) : "")}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          <option value="">{placeholder}</option>
          {organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({plural(o.memberCount, "member")})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <section aria-labelledby="merge-title">
      <h2 id="merge-title">Merge two organizations</h2>
      <p className="muted">
        The first one's people and mail domains move to the second, and so do the asks they filed, voted on and
        commented on. Its page and its name lead to the second from then on. A merge can be undone under Recent merges.
      </p>
      {errors.form ? (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      ) : merge ? (
        <p className="form-error" role="alert">
          Please correct the fields marked below.
        </p>
      ) : null}
      <Form method="post" noValidate key={preselected ?? "none"}>
        {select("merge-from", "fromId", "Merge", "Choose an organization")}
        {select("merge-into", "intoId", "into", "Choose the one that stays", "This one keeps its name and page.")}
        <button type="submit" name="intent" value="merge">
          Merge
        </button>
      </Form>
    </section>
  );
}

function RecentMerges({ merges, reply }: { merges: OrganizationMergeRow[]; reply: Reply }) {
  const undo = reply?.intent === "undo" ? reply : undefined;
  return (
    <section id="recent-merges" aria-labelledby="recent-merges-title">
      <h2 id="recent-merges-title">Recent merges</h2>
      {merges.length === 0 ? <p>No merges yet.</p> : null}
      <ul>
        {merges.map((m) => {
          const error = undo?.values.mergeId === String(m.id) ? (undo.errors.form ?? undo.errors.mergeId) : undefined;
          return (
            <li key={m.id}>
              <Time value={m.createdAt} />: {m.from.name} into{" "}
              {m.into.slug ? <Link to={organizationPath({ slug: m.into.slug })}>{m.into.name}</Link> : m.into.name},{" "}
              {moved(m.people, m.domains)}
              {m.mergedBy ? `, by ${m.mergedBy}` : ""}.{" "}
              {m.undoneAt ? (
                <span className="muted">
                  Undone <Time value={m.undoneAt} />.
                </span>
              ) : m.undoable ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="mergeId" value={m.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="undo"
                    className="secondary"
                    aria-describedby={error ? `undo-${m.id}-error` : undefined}
                  >
                    Undo
                    <span className="visually-hidden">
                      {" "}
                      the merge of {m.from.name} into {m.into.name}
                    </span>
                  </button>
                </Form>
              ) : (
                <span className="muted">{m.into.name} has since been merged on: undo that merge first.</span>
              )}
              {error ? (
                <p className="error" id={`undo-${m.id}-error`} role="alert">
                  {error}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
