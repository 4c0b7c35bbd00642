import { ApiProblem, problemResponse } from "~/services/api.server";

// Anything else under /api/v1 answers in the API's own terms, not with the site's 404 page.
const notFound = () =>
  problemResponse(new ApiProblem(404, "There is nothing at this address. /api/v1/openapi.json lists what there is."));

export const loader = notFound;
export const action = notFound;
