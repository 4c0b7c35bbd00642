import type { NameChange } from "~/models/named-list.server";
import type { Done, Refused } from "~/models/result";
import { answerDeleted, answerSaved } from "~/services/list-answers.server";
import type { Permission } from "~/services/permission.server";
import { type NameSchemas, rowSchema } from "~/validation/admin";
import { intentsFor } from "~/validation/intent";

// An admin page for a list of named things: what it calls a row, where it lives and the
// permission it needs.
export type ListPage = { noun: "Team" | "Category" | "Status"; page: string; permission: Permission };

type NameWrites<R> = {
  create: (change: { name: string; actorId: number }) => NameChange;
  rename: (change: { id: number; name: string; actorId: number }) => NameChange;
  remove: (change: { id: number; actorId: number }) => Done | Refused<"not-found"> | R;
};

// Add, rename and delete, for an admin list of things that only have a name (teams,
// categories). Routes build their intent table with it when their action runs, so the
// answers it calls only run on the server. `whyKept` says why a row still there cannot be deleted.
export function nameIntents<R extends Refused<string>>(
  list: ListPage,
  schemas: NameSchemas,
  writes: NameWrites<R>,
  whyKept: (refusal: R) => string,
) {
  const { noun, permission } = list;
  const intent = intentsFor();
  return {
    create: intent({
      permission,
      schema: schemas.create,
      run: ({ input, user }) =>
        answerSaved(list, writes.create({ ...input, actorId: user.id }), `${noun} ${input.name} added.`),
    }),
    rename: intent({
      permission,
      schema: schemas.rename,
      run: ({ input, user }) =>
        answerSaved(list, writes.rename({ ...input, actorId: user.id }), `${noun} renamed to ${input.name}.`),
    }),
    delete: intent({
      permission,
      schema: rowSchema,
      run: ({ input, user }) => answerDeleted(list, writes.remove({ ...input, actorId: user.id }), whyKept),
    }),
  };
}
