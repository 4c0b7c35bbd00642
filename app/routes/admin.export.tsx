import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requirePermission } from "~/services/permission.server";

export const meta: MetaFunction = () => [{ title: "Export · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "export:site");
  return null;
}

export default function AdminExport() {
  return (
    <>
      <h1>Export</h1>
      <p>
        The whole site in one JSON file, in the <a href="/import-format.schema.json">import format</a>: every ask with
        its dated status details, comments and votes, the people who wrote them with their addresses, and the teams,
        categories and statuses. Hidden asks and comments are included. Importing the file into an empty Asklog gives
        the same pages back.
      </p>
      <p>
        <a className="button" href="/admin/export.json" download>
          Download the whole site
        </a>
      </p>
      <p className="muted">
        The file is written as it downloads, from one consistent snapshot, while the site keeps taking changes. From the
        command line: <code>npm run export -- --out FILE</code>.
      </p>
    </>
  );
}
