import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AskRow } from "~/components/ask-row";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { listAsks } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { listStatuses } from "~/models/status.server";
import { userCan } from "~/services/permission.server";
import { type AskSort, askSorts, pageNumber, pageSize } from "~/validation/query";

export const meta: MetaFunction = () => [
  { title: "Asks · Asklog" },
  { name: "description", content: "Partner asks, votes and the dated history of every answer." },
];

const sortLabels: Record<AskSort, string> = {
  trending: "Trending",
  top: "Top voted",
  newest: "Newest",
  updated: "Recently updated",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const sort = askSorts.find((s) => s === params.get("sort")) ?? "trending";
  const statuses = listStatuses();
  const categories = listCategories();
  const status = statuses.find((s) => s.slug === params.get("status"))?.slug;
  const categoryId = categories.find((c) => String(c.id) === params.get("category"))?.id;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const page = pageNumber(params.get("page"));
  const includeHidden = await userCan(request, "ask:moderate");
  const { asks, total } = listAsks({ sort, status, categoryId, q: q || undefined, page, includeHidden });
  return {
    asks,
    total,
    page,
    filter: { sort, status: status ?? "", category: categoryId ? String(categoryId) : "", q },
    statuses: statuses.map((s) => ({ slug: s.slug, name: s.name })),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
  };
}

export default function Index() {
  const { asks, total, page, filter, statuses, categories } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1>{filter.q ? `Asks matching “${filter.q}”` : "Asks"}</h1>
        <Link className="button" to="/asks/new">
          File an ask
        </Link>
      </div>
      <Form method="get" className="filters" aria-label="Sort and filter asks">
        {filter.q ? <input type="hidden" name="q" value={filter.q} /> : null}
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={filter.sort}>
            {askSorts.map((s) => (
              <option key={s} value={s}>
                {sortLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filter.status}>
            <option value="">All statuses</option>
            {statuses.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" name="category" defaultValue={filter.category}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Apply</button>
      </Form>
      <p className="muted" aria-live="polite">
        {plural(total, "ask")}
      </p>
      {asks.length ? (
        <ul className="ask-list">
          {asks.map((ask) => (
            <AskRow key={ask.id} ask={ask} />
          ))}
        </ul>
      ) : (
        <p>No asks match. Try another filter, or file the first one.</p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
