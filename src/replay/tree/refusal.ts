// Placement is a chain of checks, each of which knows best why it cannot go on; throwing lets it
// say so where it knows, and `propagate` turns the refusal into `{ ok: false, reason }`.
export class Refusal extends Error {
  override readonly name = 'Refusal'
}

export function refuse(reason: string): never {
  throw new Refusal(reason)
}
