import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { Location } from '../record/location.js'
import type { Backend } from '../store/backend.js'
import { journalPathInGit } from '../journal/catch-up.js'
import { snapshot } from '../versions/snapshot.js'
import type { ReplayPlan } from './replay-plan.js'
import { runReplayJob, type JobResult } from './run-replay-job.js'

export type ReplayEvent =
  | { kind: 'start'; jobs: number; workers: number }
  | { kind: 'job-start'; id: string }
  | { kind: 'job-end'; result: JobResult }

export interface ExecuteOptions {
  workers: number
  /** Paths of the user's tree (git-ignored data) to link into each worktree. */
  links?: readonly string[]
  onEvent?: (event: ReplayEvent) => void
}

/**
 * Runs a plan's jobs in a pool of worker processes. A failing job is reported
 * and the others go on; worktrees are removed at the end, and on Ctrl-C, when
 * the children are stopped first.
 */
export async function executeReplay(
  store: Backend,
  location: Location,
  plan: ReplayPlan,
  options: ExecuteOptions,
): Promise<JobResult[]> {
  const workers = Math.max(1, Math.min(options.workers, plan.jobs.length))
  const scratch = mkdtempSync(join(tmpdir(), 'flordb-replay-'))
  const children = new Set<ChildProcess>()
  const from = await versionOfStatements(location, plan)
  const results: JobResult[] = []
  const queue = [...plan.jobs].sort((a, b) => b.estimate - a.estimate)
  // Ctrl-C stops the children and the queue; the worktrees go in `finally`,
  // and the process then ends as interrupted processes do.
  const interrupt = () => {
    queue.length = 0
    process.exitCode = 130
    for (const child of children) child.kill('SIGTERM')
  }

  options.onEvent?.({ kind: 'start', jobs: plan.jobs.length, workers })
  process.once('SIGINT', interrupt)

  try {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          options.onEvent?.({ kind: 'job-start', id: job.id })

          const result = await runReplayJob(job, { store, location, scratch, from, children, links: options.links }).catch(
            (error: unknown): JobResult => ({ job: job!, ok: false, seconds: 0, error: (error as Error).message, records: 0 }),
          )

          results.push(result)
          options.onEvent?.({ kind: 'job-end', result })
        }
      }),
    )
  } finally {
    process.removeListener('SIGINT', interrupt)
    rmSync(scratch, { recursive: true, force: true })
  }

  await keepInGit(location, plan, results)

  return results
}

/**
 * Replayed records are kept in git like a run's, so `flordb unpack` rebuilds
 * them too: one snapshot holds the journals of the replay's jobs.
 */
async function keepInGit(location: Location, plan: ReplayPlan, results: readonly JobResult[]): Promise<void> {
  const journals = results.flatMap((result) => (result.journal ? [result.journal] : []))

  if (!location.repo || journals.length === 0) return

  await snapshot(location.repo, {
    message: `flordb: replayed ${plan.names.join(', ')} for ${journals.length} job(s)`,
    extraFiles: journals.map((path) => ({ path: journalPathInGit(path), absPath: path })),
  })
}

/**
 * The replayed values are tied to the code their statements came from: the
 * working tree as it is now, snapshotted like a run's, so it stays reachable.
 */
async function versionOfStatements(location: Location, plan: ReplayPlan): Promise<string | null> {
  if (!location.repo || plan.jobs.length === 0) return null

  const result = await snapshot(location.repo, { message: `flordb: replay of ${plan.names.join(', ')}` })

  return result.commit
}
