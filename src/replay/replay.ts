import { availableParallelism } from 'node:os'

import type pl from 'nodejs-polars'

import { dataframe } from '../read/dataframe.js'
import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import { executeReplay, type ReplayEvent } from './execute-replay.js'
import type { PlanOptions } from './plan-replay.js'
import type { ReplayPlan } from './replay-plan.js'
import type { JobResult } from './run-replay-job.js'

export interface ReplayOptions extends PlanOptions {
  /** Only plan: nothing runs and nothing is written. */
  dryRun?: boolean
  /** Asked with the plan before anything runs; false cancels. */
  confirm?: (plan: ReplayPlan) => boolean | Promise<boolean>
  onEvent?: (event: ReplayEvent) => void
  /**
   * Paths in the repository that git does not version but old code reads (a
   * dataset folder), linked into each replay's worktree.
   */
  links?: readonly string[]
}

export interface ReplayOutcome {
  plan: ReplayPlan
  results: JobResult[]
  /** False when the confirmation said no or it was a dry run. */
  ran: boolean
  /** The dataframe of the replayed names, once they are in. */
  frame?: pl.DataFrame
}

/**
 * Fills in `names` for past runs that lack them: the statements that log them
 * in the current code are put into each run's version, which is replayed from
 * its checkpoints. The records join the original runs, under their tstamps.
 *
 * ```ts
 * const { frame } = await flor.replay(['grad_norm'], { where: 'lr > 0.01' })
 * ```
 */
export async function replay(
  names: readonly string[],
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const location = getLocation()
  const store = await openStore(location)
  const workers = options.workers ?? availableParallelism()
  // The planner parses code with the TypeScript compiler: loaded only when a replay runs.
  const { planReplay } = await import('./plan-replay.js')
  const plan = await planReplay(store, location, names, { where: options.where, workers })

  if (options.dryRun || (options.confirm && !(await options.confirm(plan)))) {
    return { plan, results: [], ran: false }
  }

  const results = await executeReplay(store, location, plan, {
    workers,
    onEvent: options.onEvent,
    links: options.links,
  })

  return { plan, results, ran: true, frame: await dataframe(...names) }
}
