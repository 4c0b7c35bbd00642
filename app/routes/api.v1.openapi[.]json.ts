import type { LoaderFunctionArgs } from "@remix-run/node";
import { ApiProblem, apiOrigin, problemResponse } from "~/services/api.server";
import { openApiDocument } from "~/services/openapi.server";

// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the routes' own schemas.
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(apiOrigin(request)), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}

export const action = () => problemResponse(new ApiProblem(405, "This address answers GET."), { Allow: "GET" });
