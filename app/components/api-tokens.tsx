import { Form } from "@remix-run/react";
import type { TokenScope } from "~/domain";
import type { TokenView as TokenRow } from "~/models/api-token.server";
import { tokenExpiries, tokenExpiryLabels } from "~/validation/api-token-rules";
import { type Column, DataTable } from "./data-table";
import { InputField } from "./form-fields";
import { Time } from "./time";

const scopeLabels: Record<TokenScope, string> = {
  read: "Read (what you can see)",
  write: "Write (file asks, vote, comment as you)",
  team: "Team (post status updates)",
};

export function tokenState(token: Pick<TokenRow, "revokedAt" | "expiresAt">, now = Date.now()): string {
  if (token.revokedAt) return "Revoked";
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return "Expired";
  return "Active";
}

// The token table of the account page and, with the owner and the creation date, of
// /admin/tokens; each page's form revokes through its own intent.
export function tokenColumns<Row extends TokenRow>({
  revokeIntent,
  owner,
}: {
  revokeIntent: string;
  owner?: Column<Row>;
}): Column<Row>[] {
  return [
    { header: "Name", rowHeader: true, cell: (t) => t.name },
    ...(owner ? [owner] : []),
    { header: "Token", cell: (t) => <code>{t.displayPrefix}…</code> },
    { header: "Scopes", cell: (t) => t.scopes.join(", ") },
    { header: "State", cell: (t) => tokenState(t) },
    ...(owner ? [{ header: "Created", cell: (t: Row) => <Time value={t.createdAt} /> }] : []),
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
            <button type="submit" name="intent" value={revokeIntent} className="secondary">
              Revoke<span className="visually-hidden"> {t.name}</span>
            </button>
          </Form>
        ),
    },
  ];
}

const columns = tokenColumns<TokenRow>({ revokeIntent: "revoke-token" });

type Props = {
  tokens: TokenRow[];
  newToken: string | null;
  teamScope: boolean;
  noExpiryAllowed: boolean;
  errors: Partial<Record<string, string>>;
  values: Record<string, string>;
  busy: boolean;
};

// The account page's "API tokens": create one (shown once), see when each was last used, revoke.
export function ApiTokens({ tokens, newToken, teamScope, noExpiryAllowed, errors, values, busy }: Props) {
  const scopes: TokenScope[] = teamScope ? ["read", "write", "team"] : ["read", "write"];
  const expiries = tokenExpiries.filter((e) => e !== "never" || noExpiryAllowed);
  const sent = Object.keys(values).length > 0;
  return (
    <section id="api-tokens" aria-labelledby="api-tokens-heading">
      <h2 id="api-tokens-heading">API tokens</h2>
      <p>
        A token lets a script or another tool use the <a href="/api/docs">Asklog API</a> as you. Send it as{" "}
        <code>Authorization: Bearer …</code>.
      </p>
      {newToken ? (
        <div className="notice" role="status">
          <p>Copy your new token now. It is not shown again.</p>
          <p>
            <code data-testid="new-token">{newToken}</code>
          </p>
        </div>
      ) : null}
      {tokens.length ? (
        <DataTable caption="Your API tokens" captionHidden columns={columns} rows={tokens} rowKey={(t) => t.id} />
      ) : (
        <p>You have no tokens.</p>
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="create-token" />
        <InputField
          id="token-name"
          name="name"
          label="Token name"
          hint="Where it is used, like “Azure DevOps sync”."
          error={errors.name}
          defaultValue={values.name}
          maxLength={80}
          required
        />
        <fieldset aria-describedby={errors["scope.read"] ? "token-scopes-error" : undefined}>
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                name={`scope.${scope}`}
                defaultChecked={sent ? values[`scope.${scope}`] === "on" : scope === "read"}
              />{" "}
              {scopeLabels[scope]}
            </label>
          ))}
          {errors["scope.read"] ? (
            <p id="token-scopes-error" className="error">
              {errors["scope.read"]}
            </p>
          ) : null}
        </fieldset>
        <fieldset aria-describedby={errors.expiry ? "token-expiry-error" : undefined}>
          <legend>Expires after</legend>
          {expiries.map((expiry) => (
            <label key={expiry}>
              <input type="radio" name="expiry" value={expiry} defaultChecked={(values.expiry ?? "90") === expiry} />{" "}
              {tokenExpiryLabels[expiry]}
            </label>
          ))}
          {errors.expiry ? (
            <p id="token-expiry-error" className="error">
              {errors.expiry}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </Form>
    </section>
  );
}
