import type { SqlValue } from '../store/backend.js'
import { openStore } from './open-store.js'

/**
 * Read-only SQL over the store's tables (runs, loops, logs, checkpoints,
 * timings). Parameters are bound, never spliced into the text; a statement
 * that writes is refused.
 *
 * ```ts
 * const rows = await flor.query('select tstamp, status from runs where filename = ?', ['train.ts'])
 * ```
 */
export async function query(
  sql: string,
  params: readonly SqlValue[] = [],
): Promise<Record<string, unknown>[]> {
  return (await openStore()).readOnly(sql, params)
}
