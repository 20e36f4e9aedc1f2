import { readFloat64s, readInt32s, readInt64s, readTexts, readUint8s } from './column-blobs.js'
import { CtxIndex } from './ctx-index.js'
import type { LoopColumnsRow } from './loop-columns.js'
import { Kind, ValueStore } from './value-store.js'

/**
 * The loop iterations a dataframe needs, across its runs: the iteration number, the
 * loop's name, the parent's row (-1 for none) and the iterated value (in `values`, at
 * the same index) of each.
 */
export class LoopStore {
  readonly names: string[] = []
  readonly values: ValueStore
  iteration: Float64Array
  nameId: Int32Array
  parent: Float64Array
  readonly #nameIds = new Map<string, number>()

  /** `capacity`: how many iterations are expected, so a big frame allocates once. */
  constructor(capacity = 1024) {
    this.values = new ValueStore(capacity)
    this.iteration = new Float64Array(capacity)
    this.nameId = new Int32Array(capacity)
    this.parent = new Float64Array(capacity)
  }

  get length(): number {
    return this.values.length
  }

  /** Adds the iterations of a run (see `LoopColumns`); returns its ctx ids → rows here. */
  addRun(row: LoopColumnsRow | undefined): CtxIndex {
    const index = new CtxIndex()
    const count = Number(row?.count ?? 0)

    if (!row || count === 0) return index

    const ctx = readInt64s(row.ctx)
    const parent = readInt64s(row.parent)
    const name = readInt32s(row.name)
    const kinds = readUint8s(row.kinds)
    const texts = readTexts(row.texts)
    const codes = Int32Array.from(readTexts(row.names), (loop) => this.#nameId(loop))
    const start = this.#reserve(count)
    const { values } = this
    let text = 0

    index.reserve(ctx[0] ?? 0, ctx[count - 1] ?? 0, count)

    for (let i = 0; i < count; i++) index.set(ctx[i] ?? 0, start + i)

    this.iteration.set(readInt64s(row.iteration).subarray(0, count), start)
    values.kinds.set(kinds.subarray(0, count), start)
    values.numbers.set(readFloat64s(row.numbers).subarray(0, count), start)

    for (let i = 0; i < count; i++) {
      const above = parent[i] ?? -1

      this.nameId[start + i] = codes[name[i] ?? 0] ?? 0
      this.parent[start + i] = above < 0 ? -1 : index.get(above)

      if (kinds[i] === Kind.string) values.setText(start + i, Kind.string, texts[text++] ?? '')
    }

    return index
  }

  #reserve(count: number): number {
    const start = this.values.reserve(count)
    const size = this.values.kinds.length

    if (size > this.iteration.length) {
      this.iteration = grow(this.iteration, size)
      this.nameId = grow(this.nameId, size)
      this.parent = grow(this.parent, size)
    }

    return start
  }

  #nameId(name: string): number {
    let id = this.#nameIds.get(name)

    if (id === undefined) {
      id = this.names.length
      this.names.push(name)
      this.#nameIds.set(name, id)
    }

    return id
  }
}

function grow<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (size: number) => T)(size)

  next.set(array)

  return next
}
