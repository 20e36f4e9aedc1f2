import { journalPathInGit } from '../journal/catch-up.js'
import type { RepoInfo } from '../versions/find-repo.js'
import { snapshot, type Snapshot } from '../versions/snapshot.js'
import type { Run } from './run.js'

interface Waiting {
  run: Run
  done: (result: Snapshot) => void
  fail: (error: unknown) => void
}

/**
 * Snapshots the code of committed runs, several at a time: a server whose
 * requests commit together would otherwise queue one git snapshot per request
 * (and race on the ref). Runs that commit while a snapshot is being taken
 * share the next one, which holds all their journals.
 */
export class SnapshotBatch {
  readonly #repo: RepoInfo
  #waiting: Waiting[] = []
  #running = false

  constructor(repo: RepoInfo) {
    this.#repo = repo
  }

  take(run: Run): Promise<Snapshot> {
    return new Promise((done, fail) => {
      this.#waiting.push({ run, done, fail })

      if (!this.#running) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#running = true

    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0)

      try {
        const result = await snapshot(this.#repo, {
          message: describe(group.map((waiting) => waiting.run)),
          extraFiles: group.map(({ run }) => ({
            path: journalPathInGit(run.journal.path),
            absPath: run.journal.path,
          })),
        })

        for (const waiting of group) waiting.done(result)
      } catch (error) {
        for (const waiting of group) waiting.fail(error)
      }
    }

    this.#running = false
  }
}

function describe(runs: readonly Run[]): string {
  const [first] = runs

  return runs.length === 1
    ? `flordb: ${first!.filename} at ${first!.tstamp}`
    : `flordb: ${runs.length} runs of ${[...new Set(runs.map((run) => run.filename))].join(', ')} from ${first!.tstamp}`
}
