import type { SqlValue } from '../store/backend.js'
import {
  float64Blob,
  int64Blob,
  readFloat64s,
  readInt64s,
  readTexts,
  readUint8s,
  uint8Blob,
} from './column-blobs.js'
import { Kind } from './value-store.js'

/** A row of `frame_columns` as the driver returns it. */
export interface NameColumnsRow {
  readonly count: number
  readonly original: number
  readonly seq: unknown
  readonly ctx: unknown
  readonly kinds: unknown
  readonly numbers: unknown
  readonly texts: unknown
}

const textKinds: Readonly<Record<string, Kind>> = {
  string: Kind.string,
  json: Kind.json,
  date: Kind.date,
  bigint: Kind.bigint,
}

/**
 * The records of one name in one run, in the order logged, as the dataframe reads them:
 * each record's seq, ctx id (-1 at run level), decoded kind, and its number (numbers,
 * booleans) or text (strings, JSON, dates, bigints). Records from the run itself come
 * before replayed ones (`original` of them), so a new replay of the name replaces the
 * tail, as it replaces the replayed rows of `logs`.
 */
export class NameColumns {
  count = 0
  original = 0
  seq = new Float64Array(16)
  ctx = new Float64Array(16)
  kinds = new Uint8Array(16)
  numbers = new Float64Array(16)
  texts: string[] = []

  static fromRow(row: NameColumnsRow): NameColumns {
    const columns = new NameColumns()
    const count = Number(row.count)
    const kinds =
      row.kinds === null ? new Uint8Array(count).fill(Kind.number) : readUint8s(row.kinds)

    columns.#reserve(count)
    columns.seq.set(readInt64s(row.seq).subarray(0, count))
    columns.ctx.set(readInt64s(row.ctx).subarray(0, count))
    columns.kinds.set(kinds.subarray(0, count))
    columns.numbers.set(readFloat64s(row.numbers).subarray(0, count))
    columns.texts = readTexts(row.texts)
    columns.count = count
    columns.original = Number(row.original)

    return columns
  }

  /** Adds a record as `logs` holds it: `stored` is the value bound to `logs.value`. */
  add(seq: number, ctx: number | null, vtype: string, stored: SqlValue): void {
    const at = this.count

    this.#reserve(at + 1)
    this.seq[at] = seq
    this.ctx[at] = ctx ?? -1
    this.count++

    const [kind, value] = decodeStored(vtype, stored)

    this.kinds[at] = kind

    if (typeof value === 'string') this.texts.push(value)
    else this.numbers[at] = value
  }

  /** Keeps the first `count` records. */
  truncate(count: number): void {
    let texts = 0

    for (let i = 0; i < count; i++) if (hasText(this.kinds[i] ?? Kind.null)) texts++

    this.count = Math.min(this.count, count)
    this.original = Math.min(this.original, count)
    this.numbers.fill(0, this.count)
    this.texts.length = texts
  }

  /** The values of `count, original, run_level_seq, seq, ctx, kinds, numbers, texts`. */
  params(): SqlValue[] {
    const { count } = this
    let runLevelSeq: number | null = null
    let allNumbers = true

    for (let i = 0; i < count; i++) {
      if (runLevelSeq === null && this.ctx[i] === -1) runLevelSeq = this.seq[i] ?? 0
      if (this.kinds[i] !== Kind.number) allNumbers = false
    }

    return [
      count,
      this.original,
      runLevelSeq,
      int64Blob(this.seq, count),
      int64Blob(this.ctx, count),
      allNumbers ? null : uint8Blob(this.kinds, count),
      float64Blob(this.numbers, count),
      this.texts.length > 0 ? JSON.stringify(this.texts) : null,
    ]
  }

  #reserve(size: number): void {
    if (size <= this.seq.length) return

    const length = Math.max(size, 2 * this.seq.length)

    this.seq = grow(this.seq, length)
    this.ctx = grow(this.ctx, length)
    this.kinds = grow(this.kinds, length)
    this.numbers = grow(this.numbers, length)
  }
}

export const hasText = (kind: number): boolean => kind >= Kind.json || kind === Kind.string

/**
 * What the dataframe makes of a stored value: numeric storage is a number (a boolean
 * under vtype `boolean`), text storage follows the vtype (`NaN` and the infinities are
 * numbers stored as text), and SQLite keeps no NaN, storing null instead.
 */
export function decodeStored(vtype: string, stored: SqlValue): [Kind, number | string] {
  if (typeof stored === 'number' || typeof stored === 'bigint' || typeof stored === 'boolean') {
    const value = Number(stored)

    if (Number.isNaN(value)) return [Kind.null, 0]

    return [vtype === 'boolean' ? Kind.boolean : Kind.number, value]
  }

  if (stored === null || vtype === 'null') return [Kind.null, 0]

  const text = typeof stored === 'string' ? stored : stored.toString()

  if (vtype === 'number') return [Kind.number, Number(text)]
  if (vtype === 'boolean') return [Kind.boolean, text === 'true' || text === '1' ? 1 : 0]

  return [textKinds[vtype] ?? Kind.string, text]
}

export function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  const next = new (array.constructor as new (size: number) => T)(size)

  next.set(array)

  return next
}
