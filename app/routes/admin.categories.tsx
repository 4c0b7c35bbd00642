import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { plural } from "~/components/format";
import { MoveButtons } from "~/components/move-buttons";
import { NameField } from "~/components/name-field";
import { RenamePanel } from "~/components/rename-panel";
import {
  createCategory,
  deleteCategory,
  listCategoriesWithCounts,
  moveCategory,
  renameCategory,
} from "~/models/category.server";
import { handleIntents, intentsFor, refuse } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { categorySchemas, moveSchema, rowSchema } from "~/validation/admin";
import { parseId } from "~/validation/fields";

export const meta: MetaFunction = () => [{ title: "Categories · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:categories");
  const categories = listCategoriesWithCounts();
  const editId = parseId(new URL(request.url).searchParams.get("edit"));
  return { categories, editing: categories.find((c) => c.id === editId) ?? null };
}

const page = "/admin/categories";
const nameTaken = "Another category already has this name.";
const notFound = () => data("Category not found", { status: 404 });
const intent = intentsFor();

const intents = {
  create: intent({
    permission: "admin:categories",
    schema: categorySchemas.create,
    run: ({ input, user }) => {
      const result = createCategory({ name: input.name, actorId: user.id });
      if (!result.ok) return refuse({ name: nameTaken });
      return redirectWithNotice(page, `Category ${input.name} added.`);
    },
  }),
  rename: intent({
    permission: "admin:categories",
    schema: categorySchemas.rename,
    run: ({ input, user }) => {
      const result = renameCategory({ ...input, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, `Category renamed to ${input.name}.`);
      if (result.reason === "not-found") throw notFound();
      return refuse({ name: nameTaken });
    },
  }),
  move: intent({
    permission: "admin:categories",
    schema: moveSchema,
    run: ({ input, user }) => {
      const result = moveCategory({ ...input, actorId: user.id });
      if (!result.ok) throw notFound();
      return redirectWithNotice(page, `Category moved ${input.direction}.`);
    },
  }),
  delete: intent({
    permission: "admin:categories",
    schema: rowSchema,
    run: ({ input, user }) => {
      const result = deleteCategory({ id: input.id, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, "Category deleted.");
      if (result.reason === "not-found") throw notFound();
      if (result.reason === "last") {
        return refuse({ form: "Keep at least one category: partners need one to file an ask." }, 409);
      }
      const { askCount } = result;
      return refuse(
        {
          form: `${plural(askCount, "ask")} ${askCount === 1 ? "uses" : "use"} this category; move ${
            askCount === 1 ? "it" : "them"
          } first.`,
        },
        409,
      );
    },
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents);
}

export default function AdminCategories() {
  const { categories, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>Categories</h1>
      <p className="muted">Partners see the categories in this order when they file an ask.</p>
      {editing ? <RenamePanel key={editing.id} noun="category" item={editing} reply={reply} closeTo={page} /> : null}
      <table>
        <caption className="visually-hidden">Categories, in the order partners see them</caption>
        <thead>
          <tr>
            <th scope="col">Place</th>
            <th scope="col">Category</th>
            <th scope="col">Asks</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c.id}>
              <td>{i + 1}</td>
              <th scope="row">{c.name}</th>
              <td>{c.askCount}</td>
              <td>
                <div className="actions">
                  <MoveButtons id={c.id} name={c.name} first={i === 0} last={i === categories.length - 1} />
                  <Link to={`?edit=${c.id}#edit-category`}>
                    Edit<span className="visually-hidden"> {c.name}</span>
                  </Link>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

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
