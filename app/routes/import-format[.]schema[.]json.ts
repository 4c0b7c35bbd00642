import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "~/services/json-response.server";
import { importFormatJsonSchema } from "~/validation/import-format-schema";

// GET /import-format.schema.json — the interchange format (docs/import-format.md), for editors and validators.
export async function loader({ request }: LoaderFunctionArgs) {
  return jsonResponse(importFormatJsonSchema(new URL(request.url).origin), {
    headers: { "Content-Type": "application/schema+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
