import type pl from 'nodejs-polars'

import { getLocation } from '../record/session.js'
import { openStore } from './open-store.js'

/**
 * The pivoted view of what was logged: one row per run and loop position,
 * a column per enclosing loop, then the names asked for, as a nodejs-polars
 * DataFrame. With no names, one row per run with its run-level values.
 *
 * ```ts
 * const df = await flor.dataframe('lr', 'loss')
 * console.log(df.filter(pl.col('loss').lt(0.1)).toString())
 * ```
 */
export async function dataframe(...names: string[]): Promise<pl.DataFrame> {
  const location = getLocation()
  // Polars is loaded on first read, so a training script's start-up does not pay for it.
  const { buildDataframe } = await import('../frame/dataframe.js')

  return buildDataframe(await openStore(location), names, { projid: location.projid })
}
