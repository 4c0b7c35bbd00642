import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { tokenState } from "~/components/api-tokens";
import { type Column, DataTable } from "~/components/data-table";
import { Time } from "~/components/time";
import { listAllTokens, revokeApiToken } from "~/models/api-token.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { tokenRowSchema } from "~/validation/api-token";
import { intentsFor } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "API tokens · Admin · Asklog" }];

// Tokens act as their owners, so whoever manages the users sees and revokes them.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:users");
  return { tokens: listAllTokens() };
}

const intent = intentsFor();

const intents = {
  revoke: intent({
    permission: "admin:users",
    schema: tokenRowSchema,
    run: async ({ user, input }) => {
      const result = revokeApiToken({ tokenId: input.tokenId, actorId: user.id });
      if (!result.ok) throw data("Token not found", { status: 404 });
      return redirectWithNotice("/admin/tokens", "Token revoked.");
    },
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents, { defaultIntent: "revoke" });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["tokens"][number];

const columns: Column<Row>[] = [
  { header: "Name", rowHeader: true, cell: (t) => t.name },
  {
    header: "Owner",
    cell: (t) => (
      <>
        {t.owner} <span className="hint">{t.ownerEmail}</span>
      </>
    ),
  },
  { header: "Token", cell: (t) => <code>{t.displayPrefix}…</code> },
  { header: "Scopes", cell: (t) => t.scopes.join(", ") },
  { header: "State", cell: (t) => tokenState(t) },
  { header: "Created", cell: (t) => <Time value={t.createdAt} /> },
  { header: "Expires", cell: (t) => (t.expiresAt ? <Time value={t.expiresAt} /> : "Never") },
  {
    header: "Last used",
    cell: (t) =>
      t.lastUsedAt ? (
        <>
          <Time value={t.lastUsedAt} relative /> from {t.lastUsedAddress}
        </>
      ) : (
        "Never"
      ),
  },
  {
    header: "Action",
    hideHeader: true,
    cell: (t) =>
      t.revokedAt ? null : (
        <Form method="post">
          <input type="hidden" name="tokenId" value={t.id} />
          <button type="submit" name="intent" value="revoke" className="secondary">
            Revoke<span className="visually-hidden"> {t.name}</span>
          </button>
        </Form>
      ),
  },
];

export default function AdminTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>API tokens</h1>
      <p>Every personal API token, whoever owns it. A revoked token is refused at its next call.</p>
      {tokens.length ? (
        <DataTable caption="API tokens" captionHidden columns={columns} rows={tokens} rowKey={(t) => t.id} />
      ) : (
        <p>Nobody has made a token yet.</p>
      )}
    </>
  );
}
