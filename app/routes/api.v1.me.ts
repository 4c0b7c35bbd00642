import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerApi } from "~/services/api.server";
import { apiOperations } from "~/services/api-operations.server";

// GET /api/v1/me: whose token this is.
const operations = apiOperations["/me"];

export const loader = (args: LoaderFunctionArgs) => answerApi(operations, args);
export const action = (args: ActionFunctionArgs) => answerApi(operations, args);
