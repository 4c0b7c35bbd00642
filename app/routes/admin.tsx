import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { can, type Permission } from "~/services/permission.server";
import { requireUser } from "~/services/session.server";

export const meta: MetaFunction = () => [{ title: "Admin · Asklog" }];

// The admin area's sections, in nav order; the overview page lists the same ones.
const adminSections: { path: string; label: string; permission: Permission; description: string }[] = [
  {
    path: "/admin/users",
    label: "Users",
    permission: "admin:users",
    description: "Roles, teams, organizations; disable accounts or block them from posting.",
  },
  {
    path: "/admin/teams",
    label: "Teams",
    permission: "admin:teams",
    description: "The program teams that triage asks.",
  },
  {
    path: "/admin/categories",
    label: "Categories",
    permission: "admin:categories",
    description: "What partners file their asks under, in the order they see them.",
  },
  {
    path: "/admin/statuses",
    label: "Statuses",
    permission: "admin:statuses",
    description: "The workflow an ask moves through: names, colors, open or closed, votes, roadmap column.",
  },
  {
    path: "/admin/orgs",
    label: "Organizations",
    permission: "admin:organizations",
    description:
      "Names, page addresses and mail domains of partner organizations; merge two into one, or undo a merge.",
  },
  {
    path: "/admin/settings",
    label: "Settings",
    permission: "admin:settings",
    description: "What partners and visitors may see: which organizations voted on an ask.",
  },
  {
    path: "/admin/tokens",
    label: "API tokens",
    permission: "admin:users",
    description: "Every personal API token: whose, what it may do, when it was last used; revoke any.",
  },
  {
    path: "/admin/audit",
    label: "Audit log",
    permission: "admin:audit",
    description: "Every team and admin action: who, what, when, before and after.",
  },
  {
    path: "/admin/mail",
    label: "Mail",
    permission: "admin:mail",
    description: "Every message the app sends: waiting, sent or given up on; read one as its recipient does.",
  },
  {
    path: "/admin/webhooks",
    label: "Webhooks",
    permission: "admin:webhooks",
    description: "Endpoints that hear about new asks, status changes, comments, merges and votes; their delivery logs.",
  },
  {
    path: "/admin/import",
    label: "Import",
    permission: "import:run",
    description: "Bring history in from another tracker or a spreadsheet: a JSON file or a zip of CSV files.",
  },
  {
    path: "/admin/export",
    label: "Export",
    permission: "export:site",
    description: "Take the whole site out as one JSON file, in the same format.",
  },
];

// Keeps anyone without a single admin permission out of the whole area. Each
// page and action still asks for its own permission: a child loader runs
// whether or not this one did.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sections = adminSections.filter((s) => can(user, s.permission));
  if (!sections.length) throw data("Not allowed", { status: 403 });
  return { sections: sections.map(({ path, label, description }) => ({ path, label, description })) };
}

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Admin">
        <ul className="tabs">
          <li>
            <NavLink to="/admin" end>
              Overview
            </NavLink>
          </li>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={s.path}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
