import type { SqlValue } from '../store/backend.js'
import {
  float64Blob,
  int32Blob,
  int64Blob,
  readFloat64s,
  readInt32s,
  readInt64s,
  readTexts,
  readUint8s,
  uint8Blob,
} from './column-blobs.js'
import { grow } from './name-columns.js'
import { Kind } from './value-store.js'

/** A row of `frame_loops` as the driver returns it. */
export interface LoopColumnsRow {
  readonly count: number
  readonly names: unknown
  readonly ctx: unknown
  readonly parent: unknown
  readonly iteration: unknown
  readonly name: unknown
  readonly kinds: unknown
  readonly numbers: unknown
  readonly texts: unknown
}

/**
 * The loop iterations of one run, by ctx id: parent ctx id (-1 for none), iteration,
 * the loop's name as an index into `names` (in order of first appearance), and the
 * iterated value as a kind (null, number or string) with its number or text.
 */
export class LoopColumns {
  count = 0
  names: string[] = []
  ctx = new Float64Array(16)
  parent = new Float64Array(16)
  iteration = new Float64Array(16)
  name = new Int32Array(16)
  kinds = new Uint8Array(16)
  numbers = new Float64Array(16)
  texts: string[] = []
  readonly #codes = new Map<string, number>()

  static fromRow(row: LoopColumnsRow): LoopColumns {
    const columns = new LoopColumns()
    const count = Number(row.count)

    columns.#reserve(count)
    columns.ctx.set(readInt64s(row.ctx).subarray(0, count))
    columns.parent.set(readInt64s(row.parent).subarray(0, count))
    columns.iteration.set(readInt64s(row.iteration).subarray(0, count))
    columns.name.set(readInt32s(row.name).subarray(0, count))
    columns.kinds.set(readUint8s(row.kinds).subarray(0, count))
    columns.numbers.set(readFloat64s(row.numbers).subarray(0, count))
    columns.texts = readTexts(row.texts)
    columns.names = readTexts(row.names)
    columns.count = count

    for (const [code, name] of columns.names.entries()) columns.#codes.set(name, code)

    return columns
  }

  /** Adds an iteration as `loops` holds it: `value` is the value bound to `loops.value`. */
  add(ctx: number, parent: number | null, name: string, iteration: number, value: SqlValue): void {
    const at = this.count

    this.#reserve(at + 1)
    this.ctx[at] = ctx
    this.parent[at] = parent ?? -1
    this.iteration[at] = iteration
    this.name[at] = this.#code(name)
    this.count++

    if (typeof value === 'string' || value instanceof Buffer) {
      this.kinds[at] = Kind.string
      this.texts.push(value.toString())
    } else if (value === null || Number.isNaN(Number(value))) {
      // SQLite stores NaN as null.
      this.kinds[at] = Kind.null
    } else {
      this.kinds[at] = Kind.number
      this.numbers[at] = Number(value)
    }
  }

  /** The values of `count, names, ctx, parent, iteration, name, kinds, numbers, texts`. */
  params(): SqlValue[] {
    const { count } = this

    return [
      count,
      JSON.stringify(this.names),
      int64Blob(this.ctx, count),
      int64Blob(this.parent, count),
      int64Blob(this.iteration, count),
      int32Blob(this.name, count),
      uint8Blob(this.kinds, count),
      float64Blob(this.numbers, count),
      this.texts.length > 0 ? JSON.stringify(this.texts) : null,
    ]
  }

  #code(name: string): number {
    let code = this.#codes.get(name)

    if (code === undefined) {
      code = this.names.length
      this.names.push(name)
      this.#codes.set(name, code)
    }

    return code
  }

  #reserve(size: number): void {
    if (size <= this.ctx.length) return

    const length = Math.max(size, 2 * this.ctx.length)

    this.ctx = grow(this.ctx, length)
    this.parent = grow(this.parent, length)
    this.iteration = grow(this.iteration, length)
    this.name = grow(this.name, length)
    this.kinds = grow(this.kinds, length)
    this.numbers = grow(this.numbers, length)
  }
}
