import { contextStorage } from './loop-context.js'
import { currentRun } from './session.js'
import { warnOnce } from './warn.js'

/**
 * Records `value` under `name` in the current loop context and returns it, so
 * it can wrap an expression. Nothing about logging ever throws into the caller.
 *
 * ```ts
 * const loss = flor.log('loss', criterion(output, target))
 * ```
 */
export function log<T>(name: string, value: T): T {
  try {
    currentRun().log(contextStorage.getStore(), name, value)
  } catch (error) {
    warnOnce(`log-failed:${(error as Error).message}`, `flordb: a record was not kept: ${(error as Error).message}`)
  }

  return value
}

/** Records a run-level value: one that belongs to the run, not to a loop iteration. */
export function logRunLevel(name: string, value: unknown): void {
  try {
    currentRun().log(undefined, name, value)
  } catch (error) {
    warnOnce(`log-failed:${(error as Error).message}`, `flordb: a record was not kept: ${(error as Error).message}`)
  }
}
