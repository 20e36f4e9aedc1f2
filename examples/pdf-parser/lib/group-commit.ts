/**
 * Shares commits between concurrent saves, as databases do with group commit.
 *
 * A flordb commit snapshots the code in git and takes a good tenth of a
 * second. Fifty people pressing Save at once would otherwise wait for fifty
 * commits in a row. Here a save that arrives while a commit is running waits
 * for the next one, which every such save shares: each waits for at most two.
 * A save's records are always in the commit it waits for, because that commit
 * starts (and `commit()` ends the run it covers) after they were logged.
 */
export class GroupCommit {
  readonly #commit: () => Promise<void>
  #running: Promise<void> | undefined
  #queued: Promise<void> | undefined

  constructor(commit: () => Promise<void>) {
    this.#commit = commit
  }

  /** Resolves once everything logged before the call is committed. */
  commit(): Promise<void> {
    if (this.#queued) return this.#queued

    if (this.#running) {
      this.#queued = this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined

          return this.#start()
        })

      return this.#queued
    }

    return this.#start()
  }

  #start(): Promise<void> {
    const running = this.#commit().finally(() => {
      if (this.#running === running) this.#running = undefined
    })

    this.#running = running

    return running
  }
}
