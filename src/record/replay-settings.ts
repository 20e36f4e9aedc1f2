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
  strategy: 'prefix' | 'outer' | 'nested'
  /** For 'nested': the top-level iterations to run with records kept (1-based, ascending). */
  iterations?: number[]
  /** For 'nested': the top-level iteration whose end state to restore first (0: start from scratch). */
  restoreFrom?: number
  /**
   * Saved states by `<top-level iteration>:<point>`, each a map from the
   * checkpointed object's name to the file holding its state.
   */
  checkpoints: Record<string, Record<string, string>>
}

let cached: ReplaySettings | null | undefined

export function replaySettings(env = process.env): ReplaySettings | null {
  if (cached !== undefined) return cached

  const path = env.FLORDB_REPLAY

  cached = path ? (JSON.parse(readFileSync(path, 'utf8')) as ReplaySettings) : null

  return cached
}
