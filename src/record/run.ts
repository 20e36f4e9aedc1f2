import { hostname } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import { entry, type RunHeader, type RunStatus, type TimingKind } from '../journal/journal-entry.js'
import { journalsFolder } from '../journal/catch-up.js'
import { JournalWriter } from '../journal/journal-writer.js'
import { encodeValue } from './encode-value.js'
import type { Location } from './location.js'
import { repoPath } from './location.js'
import type { LoopContext } from './loop-context.js'
import { ObjectWriter } from './object-store.js'
import { warnOnce } from './warn.js'

const reservedNames = new Set(['projid', 'tstamp', 'filename'])
const maxNameLength = 255

export interface RunOptions {
  /** Set when this process replays an old run: records join that run instead of a new one. */
  replay?: RunHeader['replay']
  /**
   * Names the replay writes. Other names are written as shadows: recomputed
   * values that the fidelity check compares with what the run recorded.
   */
  only?: ReadonlySet<string>
  /** Start with records dropped (a replay job whose prefix another job writes). */
  suppressed?: boolean
}

/**
 * One run: from the first record to `commit()`. It owns the run's journal and
 * numbers its loop contexts; everything it records goes through `#write`.
 */
export class Run {
  readonly location: Location
  readonly tstamp: string
  readonly filename: string
  readonly journal: JournalWriter
  /** Where checkpoints are written, off the training thread. */
  readonly objects: ObjectWriter
  readonly startedAt = performance.now()
  readonly replaying: boolean
  status: RunStatus = 'running'
  /** Set while a replay runs forward to where its records start; records are dropped. */
  suppressed = false
  /** When the first top-level loop started and the last one ended, for the prefix and suffix timings. */
  firstLoopAt: number | undefined
  lastLoopEndedAt: number | undefined
  readonly #only: ReadonlySet<string> | undefined
  /** Each admitted log name: as JSON text for text lines, and its id in binary blocks. */
  readonly #names = new Map<string, { quoted: string; id: number }>()
  readonly #nameIds = new Map<string, number>()
  #nextContextId = 1
  #records = 0

  constructor(location: Location, options: RunOptions = {}) {
    const { writer, tstamp } = JournalWriter.create(join(location.dir, journalsFolder), Date.now())
    const entryScript = process.argv[1] ?? '<repl>'

    this.location = location
    this.journal = writer
    this.objects = new ObjectWriter(location.dir)
    this.tstamp = options.replay?.of ?? tstamp
    this.filename = repoPath(location, entryScript)
    this.#only = options.only
    this.replaying = options.replay !== undefined
    this.suppressed = options.suppressed ?? false

    const header: RunHeader = {
      projid: location.projid,
      tstamp: this.tstamp,
      filename: this.filename,
      argv: process.argv.slice(2),
      runtime: {
        node: process.version,
        execPath: process.execPath,
        execArgv: process.execArgv,
        cwd: repoPath(location, process.cwd()),
        platform: process.platform,
        hostname: hostname(),
        pid: process.pid,
      },
      head: location.repo?.head ?? null,
      branch: location.repo?.branch ?? null,
      startedAt: new Date().toISOString(),
      replay: options.replay,
    }

    this.journal.append(entry(['h', header]))
    this.journal.flush()
  }

  get records(): number {
    return this.#records
  }

  log(context: LoopContext | undefined, name: string, value: unknown): void {
    if (this.suppressed) return

    const known = this.#names.get(name) ?? this.#admit(name)

    if (known === undefined) return

    const contextId = context === undefined ? -1 : this.contextId(context)

    if (this.#only && !this.#only.has(name)) return this.#shadow(contextId, known.quoted, value)

    // The common case, a finite number, goes into a binary block: no text to format.
    if (typeof value === 'number' && Number.isFinite(value)) {
      this.journal.appendNumber(contextId, known.id, value)
    } else {
      const encoded = encodeValue(value)

      if (encoded.problem) warnOnce(`value:${name}`, `flordb: "${name}": ${encoded.problem}`)

      this.journal.append(
        `["l",${contextText(contextId)},${known.quoted},"${encoded.type}",${encoded.json}]`,
      )
    }

    // A long stretch of logging with no loop boundary still reaches the file.
    if ((++this.#records & 4095) === 0) this.journal.tick()
  }

  #shadow(contextId: number, quoted: string, value: unknown): void {
    const encoded = encodeValue(value)

    if (encoded.problem) return

    this.journal.append(
      `["f",${contextText(contextId)},${quoted},"${encoded.type}",${encoded.json}]`,
    )
  }

  /** The context's id in this run, writing it (and its parents) on first use. */
  contextId(context: LoopContext): number {
    if (context.run === this) return context.id

    const parent = context.parent === undefined ? null : this.contextId(context.parent)

    context.run = this
    context.id = this.#nextContextId++

    // One of these per iteration that logs something: the hot path again.
    const value = context.value

    if (value === undefined || typeof value === 'number') {
      this.journal.appendContext(
        context.id,
        parent ?? -1,
        this.#nameId(context.name),
        context.iteration,
        value,
      )
    } else {
      this.journal.append(entry(['c', context.id, parent, context.name, context.iteration, value]))
    }

    return context.id
  }

  timing(
    kind: TimingKind,
    context: LoopContext | undefined,
    name: string | null,
    ms: number,
  ): void {
    const contextId = context === undefined ? null : this.contextId(context)

    this.journal.append(entry(['t', kind, contextId, name, ms / 1000]))
  }

  checkpoint(
    context: LoopContext,
    point: string,
    object: string,
    saved: { hash: string; size: number; location: string },
  ): void {
    const contextId = this.contextId(context)

    this.journal.append(
      entry(['k', contextId, point, object, saved.hash, saved.size, saved.location]),
    )
  }

  /** The first half of closing: everything up to the snapshot, which must contain these lines. */
  seal(status: RunStatus): void {
    const now = performance.now()

    if (this.lastLoopEndedAt !== undefined) {
      this.timing('suffix', undefined, null, now - this.lastLoopEndedAt)
    } else if (this.firstLoopAt === undefined) {
      this.timing('prefix', undefined, null, now)
    }

    this.status = status
    this.journal.append(entry(['s', status, new Date().toISOString()]))
    this.journal.flush()
  }

  /** The second half: the snapshot's id, then the end mark readers wait for. */
  finish(version: string | null): void {
    this.journal.append(entry(['v', version]))
    this.journal.append(entry(['e']))
    this.journal.close()
  }

  #nameId(name: string): number {
    let id = this.#nameIds.get(name)

    if (id === undefined) {
      id = this.journal.nameId(name)
      this.#nameIds.set(name, id)
    }

    return id
  }

  #admit(name: unknown): { quoted: string; id: number } | undefined {
    if (typeof name !== 'string') {
      warnOnce(
        `name:${String(name)}`,
        `flordb: log names are strings; ${String(name)} was used as "${String(name)}"`,
      )

      return this.#admit(String(name))
    }

    if (name.length === 0 || name.length > maxNameLength) {
      warnOnce(
        `name:${name.slice(0, 64)}`,
        `flordb: a log name must have 1 to ${maxNameLength} characters; records under "${name.slice(0, 64)}" are not kept`,
      )

      return undefined
    }

    if (reservedNames.has(name)) {
      warnOnce(
        `reserved:${name}`,
        `flordb: "${name}" is a column every record has; values logged under it are kept, but only flor.query can read them`,
      )
    }

    const known = { quoted: JSON.stringify(name), id: this.#nameId(name) }

    this.#names.set(name, known)

    return known
  }
}

/** A context id in a text line: -1, no loop, is JSON's null there. */
const contextText = (id: number): string => (id < 0 ? 'null' : String(id))
