import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { can } from "~/services/permission.server";
import { requireUser } from "~/services/session.server";
import { adminSections } from "~/validation/admin";

export const meta: MetaFunction = () => [{ title: "Admin · Asklog" }];

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
