// How a model write answers. A refusal the user can act on ("locked", "not-found",
// "name-taken") is a value the route turns into a sentence; exceptions are for faults.
export type Done<T extends object = object> = { ok: true } & T;
export type Refused<R extends string, T extends object = object> = { ok: false; reason: R } & T;
export type Result<R extends string, T extends object = object> = Done<T> | Refused<R>;

export function done(): Done;
export function done<T extends object>(value: T): Done<T>;
export function done(value: object = {}) {
  return { ok: true as const, ...value };
}

export function refused<R extends string>(reason: R): Refused<R>;
export function refused<R extends string, T extends object>(reason: R, details: T): Refused<R, T>;
export function refused(reason: string, details: object = {}) {
  return { ok: false as const, reason, ...details };
}
