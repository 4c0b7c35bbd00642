import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getMail } from "~/models/outbox.server";
import { requirePermission } from "~/services/permission.server";
import { parseId } from "~/validation/fields";

// A message's HTML part on its own, for the sandboxed frame on /admin/mail/<id>. The edge gives
// this address a policy of its own (server/security-headers.ts): the mail's inline styles and
// data: images, no scripts, no requests, a sandbox, framed only by our own pages.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:mail");
  const id = parseId(params.id);
  const mail = id === undefined ? undefined : getMail(id);
  if (!mail) throw data("Message not found", { status: 404 });
  return new Response(mail.htmlBody, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
