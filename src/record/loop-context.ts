import { AsyncLocalStorage } from 'node:async_hooks'

import type { Run } from './run.js'

/**
 * One iteration of one loop. Contexts form a chain through `parent`, and the
 * innermost one travels with the async call chain, so concurrent requests and
 * concurrent loops each see their own.
 */
export interface LoopContext {
  readonly parent: LoopContext | undefined
  readonly name: string
  readonly iteration: number
  /** The iterated value when it is a primitive worth a column; undefined otherwise. */
  readonly value: string | number | boolean | undefined
  readonly depth: number
  /** The run this context was written to, and its id there. */
  run: Run | undefined
  id: number
  /** How many loops of each name have finished inside this iteration so far. */
  finishedLoops: Map<string, number> | undefined
}

export const contextStorage = new AsyncLocalStorage<LoopContext | undefined>()

// Node tracks async contexts only from a storage's first use; promises made
// before it resume in the root context, where a loop's context would leak to
// every caller. Using it at import tracks the user's code from its start.
contextStorage.enterWith(undefined)

export function newContext(
  parent: LoopContext | undefined,
  name: string,
  iteration: number,
  item: unknown,
): LoopContext {
  return {
    parent,
    name,
    iteration,
    value: columnValue(item),
    depth: parent ? parent.depth + 1 : 0,
    run: undefined,
    id: 0,
    finishedLoops: undefined,
  }
}

function columnValue(item: unknown): LoopContext['value'] {
  switch (typeof item) {
    case 'string':
    case 'boolean':
      return item
    case 'number':
      return Number.isFinite(item) ? item : String(item)
    case 'bigint':
      return item.toString()
    default:
      return undefined
  }
}
