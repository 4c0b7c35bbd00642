import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestOrganizations } from "~/models/organization.server";
import { jsonResponse } from "~/services/json-response.server";
import { parseSearchText } from "~/validation/fields";

// GET /api/organizations?q=… — up to ten organization names starting with (or with a word
// starting with) the typed text, asked for while a list's organization filter is typed.
export async function loader({ request }: LoaderFunctionArgs) {
  const q = parseSearchText(new URL(request.url).searchParams.get("q"));
  return jsonResponse({ organizations: suggestOrganizations(q) });
}
