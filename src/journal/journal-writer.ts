import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** How long records may sit in memory before they reach the journal file. */
export const flushIntervalMs = 250
const flushBytes = 1 << 20

/**
 * Appends a run's records to its journal, one JSON array per line. Records wait
 * in memory and are written in batches: at loop iteration boundaries once the
 * flush interval has passed, on a timer for idle servers, and at commit, so a
 * killed process loses at most one interval.
 */
export class JournalWriter {
  readonly path: string
  readonly #fd: number
  #pending: string[] = []
  #pendingBytes = 0
  #lastFlush = Date.now()
  #closed = false

  private constructor(path: string, fd: number) {
    this.path = path
    this.#fd = fd
  }

  /**
   * Creates the journal of a new run. The file name is the run's tstamp, and
   * creating it exclusively is what keeps tstamps unique across processes.
   */
  static create(dir: string, start: number): { writer: JournalWriter; tstamp: string } {
    mkdirSync(dir, { recursive: true })

    for (let millis = start; ; millis++) {
      const tstamp = new Date(millis).toISOString()
      const path = join(dir, journalFileName(tstamp))

      try {
        return { writer: new JournalWriter(path, openSync(path, 'wx')), tstamp }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
  }

  append(line: string): void {
    this.#pending.push(line)
    this.#pendingBytes += line.length

    if (this.#pendingBytes > flushBytes) this.flush()
  }

  /** Flushes when the interval has passed; cheap enough for every iteration boundary. */
  tick(now = Date.now()): void {
    if (now - this.#lastFlush >= flushIntervalMs) this.flush(now)
  }

  flush(now = Date.now()): void {
    this.#lastFlush = now

    if (this.#pending.length === 0 || this.#closed) return

    const text = this.#pending.join('\n') + '\n'

    this.#pending = []
    this.#pendingBytes = 0
    writeSync(this.#fd, text)
  }

  close(): void {
    if (this.#closed) return

    this.flush()
    fsyncSync(this.#fd)
    closeSync(this.#fd)
    this.#closed = true
  }
}

export const journalFileName = (tstamp: string): string => `${tstamp.replaceAll(':', '-')}.jsonl`
