import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { actionsColumn, type Placed, placeColumn, withPlaces } from "~/components/admin-list";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { NameField } from "~/components/name-field";
import { RenamePanel } from "~/components/rename-panel";
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
import { answerMoved, type ListPage, loadList } from "~/services/list-answers.server";
import { categorySchemas, moveSchema } from "~/validation/admin";
import { intentsFor } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Categories · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return loadList(request, "admin:categories", listCategoriesWithCounts);
}

const page = "/admin/categories";
const list: ListPage = { noun: "Category", page };
const intent = intentsFor();
const intents = {
  ...nameIntents({
    ...list,
    permission: "admin:categories",
    schemas: categorySchemas,
    create: createCategory,
    rename: renameCategory,
    remove: deleteCategory,
    whyKept,
  }),
  move: intent({
    permission: "admin:categories",
    schema: moveSchema,
    run: ({ input, user }) => answerMoved(list, moveCategory({ ...input, actorId: user.id }), input.direction),
  }),
};

function whyKept(refusal: Refused<"last"> | Refused<"in-use", { askCount: number }>): string {
  if (refusal.reason === "last") return "Keep at least one category: partners need one to file an ask.";
  const { askCount } = refusal;
  return `${plural(askCount, "ask")} ${askCount === 1 ? "uses" : "use"} this category; move ${
    askCount === 1 ? "it" : "them"
  } first.`;
}

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents);
}

const columns: Column<Placed<CategoryWithCount>>[] = [
  placeColumn,
  { header: "Category", cell: (c) => c.name },
  { header: "Asks", cell: (c) => c.askCount, numeric: true },
  actionsColumn("category"),
];

export default function AdminCategories() {
  const { rows: categories, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>Categories</h1>
      <p className="muted">Partners see the categories in this order when they file an ask.</p>
      {editing ? <RenamePanel key={editing.id} noun="category" item={editing} reply={reply} closeTo={page} /> : null}
      <DataTable
        caption="Categories, in the order partners see them"
        captionHidden
        columns={columns}
        rows={withPlaces(categories)}
        rowKey={(c) => c.id}
      />

      <h2>Add a category</h2>
      <Form method="post" action={page} noValidate>
        <NameField
          id="new-category-name"
          error={created?.errors.name}
          value={created?.values.name}
          hint="Added at the end of the list."
        />
        <button type="submit" name="intent" value="create">
          Add category
        </button>
      </Form>
    </>
  );
}
