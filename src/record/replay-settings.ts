import { readFileSync } from 'node:fs'

/**
 * What a replaying process is told by the planner, through FLORDB_REPLAY (a
 * path to a JSON file). A process without it records as usual.
 */
export interface ReplaySettings {
  /** The tstamp of the run being replayed: its records gain the new names. */
  of: string
  /** The version of the code the replayed statements come from. */
  from: string | null
  names: string[]
  /** The run's historical `arg` values, which `flor.arg` returns instead of the command line. */
  args: Record<string, unknown>
  strategy: ReplayStrategy
  /** The top-level loop the iterations below count. */
  loop?: string
  /** For 'nested': the top-level iterations to run with records kept (1-based, ascending). */
  iterations?: number[]
  /**
   * For 'nested': the top-level iteration whose end state to restore before
   * running on (0: from the start). For 'suffix': the last iteration.
   */
  restoreFrom?: number
  /** False when another job writes the records of the code before the main loop. */
  keepPrefix?: boolean
  /**
   * Saved states by `<loop>#<iteration>:<point>` of the top-level loop, each a
   * map from the checkpointed object's name to the file holding its state.
   */
  checkpoints: Record<string, Record<string, string>>
}

/**
 * - `prefix`: the statement runs before the main loop; stop when it starts.
 * - `outer`: it runs in the main loop's body; run that, but restore each loop
 *   nested in it from the state it left instead of running it.
 * - `nested`: it runs inside a nested loop; run the chosen main-loop
 *   iterations from the checkpoint before them.
 * - `suffix`: it runs after the main loop; restore the loop's final state.
 */
export type ReplayStrategy = 'prefix' | 'outer' | 'nested' | 'suffix'

/** The key of a saved state in `ReplaySettings.checkpoints`. */
export const checkpointKey = (loop: string, iteration: number, point: string): string =>
  `${loop}#${iteration}:${point}`

let cached: ReplaySettings | null | undefined

export function replaySettings(env = process.env): ReplaySettings | null {
  if (cached !== undefined) return cached

  const path = env.FLORDB_REPLAY

  cached = path ? (JSON.parse(readFileSync(path, 'utf8')) as ReplaySettings) : null

  return cached
}
