import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerApi } from "~/services/api.server";
import { apiOperations } from "~/services/api-operations.server";

// PUT /api/v1/asks/{number}/vote votes; DELETE takes the vote back.
const operations = apiOperations["/asks/{number}/vote"];

export const loader = (args: LoaderFunctionArgs) => answerApi(operations, args);
export const action = (args: ActionFunctionArgs) => answerApi(operations, args);
