import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as adminLoader } from "./admin";

export const meta: MetaFunction = () => [{ title: "Admin · Asklog" }];

// No loader of its own: the admin layout's loader has already decided who may
// see this page and which sections to offer.
export default function AdminOverview() {
  const sections = useRouteLoaderData<typeof adminLoader>("routes/admin")?.sections ?? [];
  return (
    <>
      <h1>Admin</h1>
      <ul className="admin-sections">
        {sections.map((s) => (
          <li key={s.path}>
            <h2>
              <Link to={s.path}>{s.label}</Link>
            </h2>
            <p className="muted">{s.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
