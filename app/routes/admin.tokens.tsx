import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { tokenColumns } from "~/components/api-tokens";
import { DataTable } from "~/components/data-table";
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

const intents = () => ({
  revoke: intent({
    permission: "admin:users",
    schema: tokenRowSchema,
    run: async ({ user, input }) => {
      const result = revokeApiToken({ tokenId: input.tokenId, actorId: user.id });
      if (!result.ok) throw data("Token not found", { status: 404 });
      return redirectWithNotice("/admin/tokens", "Token revoked.");
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "revoke" });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["tokens"][number];

const columns = tokenColumns<Row>({
  revokeIntent: "revoke",
  owner: {
    header: "Owner",
    cell: (t) => (
      <>
        {t.owner} <span className="hint">{t.ownerEmail}</span>
      </>
    ),
  },
});

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
