import type { RunRuntime } from '../journal/journal-entry.js'
import type { ReplayStrategy } from '../record/replay-settings.js'

/** A recorded run that a replay adds records to. */
export interface ReplayRun {
  runId: number
  tstamp: string
  filename: string
  version: string
  argv: string[]
  runtime: RunRuntime
}

/** One process to start: a run's version, with the statements put in, and what to run of it. */
export interface ReplayJob {
  id: string
  run: ReplayRun
  names: string[]
  strategy: ReplayStrategy
  loop?: string
  iterations?: number[]
  restoreFrom?: number
  keepPrefix: boolean
  /** Files of the version as the propagation rewrote them, by path in the repository. */
  files: { path: string; source: string }[]
  checkpoints: Record<string, Record<string, string>>
  args: Record<string, unknown>
  /** Seconds, from the run's recorded timings. */
  estimate: number
}

/** A statement that could not be put into a version, and why. */
export interface Refusal {
  tstamp: string
  version: string
  file: string
  name: string
  reason: string
}

export interface PlannedStatement {
  name: string
  file: string
  line: number
  text: string
  loops: string[]
  strategy: ReplayStrategy
}

export interface ReplayPlan {
  names: string[]
  statements: PlannedStatement[]
  jobs: ReplayJob[]
  refused: Refusal[]
  /** Runs that lack a name but were left out, and why (no version, not matching, …). */
  skipped: { tstamp: string; reason: string }[]
  estimate: { seconds: number; rerunSeconds: number; workers: number }
}

/** The order in which strategies cover each other: a later one also serves an earlier. */
export const strategyRank: Record<ReplayStrategy, number> = {
  prefix: 0,
  suffix: 1,
  outer: 2,
  nested: 3,
}
