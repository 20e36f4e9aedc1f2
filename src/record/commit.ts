import { catchUp, journalPathInGit } from '../journal/catch-up.js'
import type { RunStatus } from '../journal/journal-entry.js'
import { openStore } from '../read/open-store.js'
import type { RepoInfo } from '../versions/find-repo.js'
import { snapshotSync, type Snapshot, type SnapshotOptions } from '../versions/snapshot.js'
import type { Run } from './run.js'
import { SnapshotBatch } from './snapshot-batch.js'
import { detachRun, onRunStart } from './session.js'
import { warnOnce } from './warn.js'

const batches = new Map<string, SnapshotBatch>()

const batchFor = (repo: RepoInfo): SnapshotBatch => {
  let batch = batches.get(repo.root)

  if (!batch) batches.set(repo.root, (batch = new SnapshotBatch(repo)))

  return batch
}

/** The closes of runs still in progress, which a commit waits for. */
let closing: Promise<unknown> = Promise.resolve()

/**
 * Ends the run in progress: its records are persisted and indexed, its code
 * is snapshotted in git, and the next record starts a new run with a new
 * tstamp. Runs at process exit on its own; a long-running app calls it to make
 * what it logged visible, like a transaction's commit.
 *
 * ```ts
 * app.post('/save', async () => { saveLabels(); await flor.commit() })
 * ```
 */
export async function commit(): Promise<void> {
  const run = detachRun()
  // What the caller logged may be in a run another caller is still closing
  // (two requests log, both commit): wait for every close in flight.
  const pending = run ? Promise.all([closing, close(run, 'committed')]) : closing

  closing = pending.catch(() => undefined)
  await pending
}

async function close(run: Run, status: RunStatus): Promise<void> {
  await run.objects.drain()
  run.seal(status)

  let version: string | null = null

  if (run.location.repo && !isReplay(run)) {
    try {
      version = reportSkipped(await batchFor(run.location.repo).take(run)).commit
    } catch (error) {
      warnOnce('snapshot', `flordb: the run's code was not versioned: ${(error as Error).message}`)
    }
  }

  run.finish(version)

  // A replaying process leaves indexing to the replay that started it.
  if (isReplay(run)) return

  try {
    const store = await openStore(run.location)

    await catchUp(store, run.location.dir)
  } catch (error) {
    // The journal keeps the run; the next process that opens the store indexes it.
    warnOnce(
      'ingest',
      `flordb: the run is saved in ${run.journal.path} but not yet indexed: ${(error as Error).message}`,
    )
  }
}

/** Closing where nothing async can run: process exit and fatal signals. Indexing waits for the next reader. */
function closeSync(run: Run, status: RunStatus): void {
  run.objects.drainSync()
  run.seal(status)

  let version: string | null = null

  if (run.location.repo && !isReplay(run)) {
    try {
      version = reportSkipped(snapshotSync(run.location.repo, snapshotOptions(run))).commit
    } catch (error) {
      warnOnce('snapshot', `flordb: the run's code was not versioned: ${(error as Error).message}`)
    }
  }

  run.finish(version)
}

const isReplay = (run: Run): boolean => run.replaying

function snapshotOptions(run: Run): SnapshotOptions {
  return {
    message: `flordb: ${run.filename} at ${run.tstamp}`,
    extraFiles: [{ path: journalPathInGit(run.journal.path), absPath: run.journal.path }],
  }
}

function reportSkipped(result: Snapshot): Snapshot {
  for (const file of result.skipped) {
    warnOnce(
      `skipped:${file.path}`,
      `flordb: ${file.path} (${file.bytes} bytes) is too large to version and was left out of the snapshot`,
    )
  }

  return result
}

/** A replaying process stops as soon as its plan is done; the planner indexes its journal. */
export function endReplay(): never {
  const run = detachRun()

  if (run) closeSync(run, 'committed')

  process.exit(0)
}

let failed = false
let hooked = false

onRunStart(() => {
  if (hooked) return

  hooked = true
  // A script that sets process.exitCode ends through here, not through a throw.
  process.on('beforeExit', () => {
    const run = detachRun()

    if (run) void close(run, process.exitCode ? 'failed' : 'committed')
  })
  process.on('exit', () => {
    const run = detachRun()

    if (run) closeSync(run, failed || process.exitCode ? 'failed' : 'committed')
  })
  process.on('uncaughtExceptionMonitor', () => {
    failed = true
  })

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, function onSignal() {
      const run = detachRun()

      if (run) closeSync(run, 'interrupted')

      // Without other listeners, Node would have died of the signal: do so now.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal)
        process.kill(process.pid, signal)
      }
    })
  }
})
