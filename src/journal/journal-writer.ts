import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'

import { binaryTag, blockLine, contextRecordBytes, numberRecordBytes } from './journal-block.js'

/** How long records may sit in memory before they reach the journal file. */
export const flushIntervalMs = 250
const flushBytes = 1 << 20
const blockBytes = 1 << 16

/**
 * Appends a run's records to its journal. Most lines are JSON arrays; the two
 * records a training loop writes by the million (a numeric log and a loop
 * context) go into binary blocks instead, because formatting a double as text
 * costs more than the rest of `flor.log` together. Records wait in memory and
 * are written in batches: at loop iteration boundaries once the flush interval
 * has passed, on a timer for idle servers, and at commit, so a killed process
 * loses at most one interval.
 */
export class JournalWriter {
  readonly path: string
  readonly #fd: number
  readonly #names = new Map<string, number>()
  /** Text lines and finished binary blocks, in the order they were recorded. */
  #chunks: (string | Buffer)[] = []
  #chunkBytes = 0
  #block = Buffer.allocUnsafe(blockBytes)
  #blockUsed = 0
  #lastFlush = Date.now()
  #timer: NodeJS.Timeout | undefined
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
    this.#schedule()
    this.#sealBlock()
    this.#chunks.push(line)
    this.#chunkBytes += line.length

    if (this.#chunkBytes > flushBytes) this.flush()
  }

  /** The number a name (of a log or a loop) has in the binary records, defined on first use. */
  nameId(name: string): number {
    let id = this.#names.get(name)

    if (id === undefined) {
      id = this.#names.size
      this.#names.set(name, id)
      this.append(`["n",${id},${JSON.stringify(name)}]`)
    }

    return id
  }

  /** A finite number logged under a name (by its id) in a context (-1: none). */
  appendNumber(context: number, name: number, value: number): void {
    let at = this.#reserve(numberRecordBytes)
    const block = this.#block

    block[at] = binaryTag.number
    at = block.writeInt32LE(context, at + 1)
    at = block.writeInt32LE(name, at)
    block.writeDoubleLE(value, at)
  }

  /** A loop context whose value is a number or absent; string values go in text lines. */
  appendContext(id: number, parent: number, name: number, iteration: number, value: number | undefined): void {
    let at = this.#reserve(contextRecordBytes)
    const block = this.#block

    block[at] = binaryTag.context
    at = block.writeInt32LE(id, at + 1)
    at = block.writeInt32LE(parent, at)
    at = block.writeInt32LE(name, at)
    at = block.writeInt32LE(iteration, at)
    block[at] = value === undefined ? 0 : 1
    block.writeDoubleLE(value ?? 0, at + 1)
  }

  /** Flushes when the interval has passed; cheap enough for every iteration boundary. */
  tick(now = Date.now()): void {
    if (now - this.#lastFlush >= flushIntervalMs) this.flush(now)
  }

  flush(now = Date.now()): void {
    this.#lastFlush = now
    this.#sealBlock()

    if (this.#chunks.length === 0 || this.#closed) return

    const parts: (string | Buffer)[] = []
    let lines: string[] = []

    for (const chunk of this.#chunks) {
      if (typeof chunk === 'string') {
        lines.push(chunk)
        continue
      }

      if (lines.length > 0) parts.push(lines.join('\n') + '\n')

      lines = []
      parts.push(blockLine(chunk.length), chunk)
    }

    if (lines.length > 0) parts.push(lines.join('\n') + '\n')

    this.#chunks = []
    this.#chunkBytes = 0

    for (const part of parts) {
      if (typeof part === 'string') writeSync(this.#fd, part)
      else writeSync(this.#fd, part)
    }
  }

  close(): void {
    if (this.#closed) return

    clearTimeout(this.#timer)
    this.flush()
    fsyncSync(this.#fd)
    closeSync(this.#fd)
    this.#closed = true
  }

  #reserve(bytes: number): number {
    this.#schedule()

    if (this.#blockUsed + bytes > this.#block.length) this.#sealBlock()

    const at = this.#blockUsed

    this.#blockUsed += bytes

    return at
  }

  // Records that wait for a loop boundary that never comes (an idle server, a
  // long step outside loops) reach the file within the interval all the same.
  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return

    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.flush()
    }, flushIntervalMs)
    this.#timer.unref()
  }

  #sealBlock(): void {
    if (this.#blockUsed === 0) return

    const sealed = Buffer.from(this.#block.subarray(0, this.#blockUsed))

    this.#chunks.push(sealed)
    this.#chunkBytes += sealed.length
    this.#blockUsed = 0

    if (this.#chunkBytes > flushBytes) this.flush()
  }
}

export const journalFileName = (tstamp: string): string => `${tstamp.replaceAll(':', '-')}.jsonl`
