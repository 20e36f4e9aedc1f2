import { dataframe } from '../read/dataframe.js'
import type { Output } from './output.js'

/** `flordb dataframe loss,acc`: the pivoted view of the named logs. */
export async function dataframeCommand(names: readonly string[]): Promise<Output> {
  const wanted = names.flatMap((name) => name.split(',')).map((name) => name.trim()).filter(Boolean)

  return { kind: 'frame', frame: await dataframe(...wanted) }
}
