import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { actionsColumn, NameListPage, type Placed, placeColumn, withPlaces } from "~/components/admin-list";
import type { Column } from "~/components/data-table";
import { plural } from "~/components/format";
import { nameIntents } from "~/list-intents";
import {
  type CategoryWithCount,
  createCategory,
  deleteCategory,
  listCategoriesWithCounts,
  moveCategory,
  renameCategory,
} from "~/models/category.server";
import type { Refused } from "~/models/result";
import { handleIntents } from "~/services/form-action.server";
import { answerMoved, loadList } from "~/services/list-answers.server";
import { categorySchemas, moveSchema } from "~/validation/admin";
import { intentsFor } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Categories · Admin · Asklog" }];

const list = {
  noun: "Category",
  page: "/admin/categories",
  permission: "admin:categories",
  title: "Categories",
  intro: "Partners see the categories in this order when they file an ask.",
  caption: "Categories, in the order partners see them",
  addHint: "Added at the end of the list.",
} as const;

export const loader = ({ request }: LoaderFunctionArgs) =>
  loadList(request, list, () => withPlaces(listCategoriesWithCounts()));

const intent = intentsFor();
const writes = { create: createCategory, rename: renameCategory, remove: deleteCategory };
const intents = () => ({
  ...nameIntents(list, categorySchemas, writes, whyKept),
  move: intent({
    permission: list.permission,
    schema: moveSchema,
    run: ({ input, user }) => answerMoved(list, moveCategory({ ...input, actorId: user.id }), input.direction),
  }),
});

function whyKept(refusal: Refused<"last"> | Refused<"in-use", { askCount: number }>): string {
  if (refusal.reason === "last") return "Keep at least one category: partners need one to file an ask.";
  const { askCount } = refusal;
  return `${plural(askCount, "ask")} ${askCount === 1 ? "uses" : "use"} this category; move ${
    askCount === 1 ? "it" : "them"
  } first.`;
}

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents());
}

const columns: Column<Placed<CategoryWithCount>>[] = [
  placeColumn,
  { header: "Category", cell: (c) => c.name, rowHeader: true },
  { header: "Asks", cell: (c) => c.askCount, numeric: true },
  actionsColumn("category"),
];

export default function AdminCategories() {
  const data = useLoaderData<typeof loader>();
  return <NameListPage list={list} columns={columns} {...data} reply={useActionData<typeof action>()} />;
}
