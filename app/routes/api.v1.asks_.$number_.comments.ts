import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerApi } from "~/services/api.server";
import { apiOperations } from "~/services/api-operations.server";

// POST /api/v1/asks/{number}/comments posts a comment.
const operations = apiOperations["/asks/{number}/comments"];

export const loader = (args: LoaderFunctionArgs) => answerApi(operations, args);
export const action = (args: ActionFunctionArgs) => answerApi(operations, args);
