import type { LoaderFunctionArgs } from "@remix-run/node";
import { siteExport } from "~/models/export.server";
import { requirePermission } from "~/services/permission.server";

// GET /admin/export.json — the whole site, streamed as it is read, for admins: addresses and hidden asks included.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "export:site");
  const day = new Date().toISOString().slice(0, 10);
  return new Response(siteExport("admin"), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="asklog-export-${day}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
