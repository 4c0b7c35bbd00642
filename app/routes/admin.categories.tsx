import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/field";
import { plural } from "~/components/format";
import { RenamePanel } from "~/components/rename-panel";
import {
  createCategory,
  deleteCategory,
  listCategoriesWithCounts,
  moveCategory,
  renameCategory,
} from "~/models/category.server";
import { refuseIntent } from "~/services/intent-reply.server";
import { requirePermission } from "~/services/permission.server";
import { categorySchema, formId, moveSchema, nameMax } from "~/validation/admin";
import { type IntentReply, parseForm } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Categories · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:categories");
  const categories = listCategoriesWithCounts();
  const editId = formId(new URL(request.url).searchParams.get("edit"));
  return { categories, editing: categories.find((c) => c.id === editId) ?? null };
}

const nameTaken = "Another category already has this name.";

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:categories");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");

  if (intent === "create") {
    const parsed = parseForm(categorySchema, form);
    if (!parsed.ok) return refuseIntent(intent, parsed.errors, parsed.values);
    const result = createCategory(admin.id, parsed.data.name);
    if (!result.ok) return refuseIntent(intent, { name: nameTaken }, { name: parsed.data.name });
    return redirect("/admin/categories");
  }

  const id = formId(form.get("id"));
  if (!id) throw data("Category not found", { status: 404 });

  if (intent === "rename") {
    const parsed = parseForm(categorySchema, form);
    if (!parsed.ok) return refuseIntent(intent, parsed.errors, parsed.values);
    const result = renameCategory(admin.id, id, parsed.data.name);
    if (result.ok) return redirect("/admin/categories");
    if (result.reason === "not-found") throw data("Category not found", { status: 404 });
    return refuseIntent(intent, { name: nameTaken }, { name: parsed.data.name });
  }

  if (intent === "move") {
    const parsed = parseForm(moveSchema, form);
    if (!parsed.ok) throw data("Unknown direction", { status: 400 });
    if (!moveCategory(admin.id, id, parsed.data.direction)) throw data("Category not found", { status: 404 });
    return redirect("/admin/categories");
  }

  if (intent === "delete") {
    const result = deleteCategory(admin.id, id);
    if (result.ok) return redirect("/admin/categories");
    if (result.reason === "not-found") throw data("Category not found", { status: 404 });
    const message =
      result.reason === "last"
        ? "Keep at least one category: partners need one to file an ask."
        : `${plural(result.askCount, "ask")} ${result.askCount === 1 ? "uses" : "use"} this category; move ${
            result.askCount === 1 ? "it" : "them"
          } first.`;
    return refuseIntent(intent, { delete: message }, {}, 409);
  }

  throw data("Unknown action", { status: 400 });
}

export default function AdminCategories() {
  const { categories, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<IntentReply>();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>Categories</h1>
      <p className="muted">Partners see the categories in this order when they file an ask.</p>
      {editing ? (
        <RenamePanel key={editing.id} noun="category" item={editing} reply={reply} closeTo="/admin/categories" />
      ) : null}
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
      <Form method="post" action="/admin/categories" noValidate>
        <Field id="new-category-name" label="Name" error={created?.errors.name} hint="Added at the end of the list.">
          {(describedBy, invalid) => (
            <input
              id="new-category-name"
              name="name"
              type="text"
              required
              maxLength={nameMax}
              defaultValue={created?.values.name}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <button type="submit" name="intent" value="create">
          Add category
        </button>
      </Form>
    </>
  );
}

function MoveButtons({ id, name, first, last }: { id: number; name: string; first: boolean; last: boolean }) {
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="intent" value="move" />
      <button type="submit" name="direction" value="up" className="secondary" disabled={first}>
        Up<span className="visually-hidden"> {name}</span>
      </button>
      <button type="submit" name="direction" value="down" className="secondary" disabled={last}>
        Down<span className="visually-hidden"> {name}</span>
      </button>
    </Form>
  );
}
