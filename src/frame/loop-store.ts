import type { Backend } from '../store/backend.js'
import { CtxIndex } from './ctx-index.js'
import { packedNumberSql, parsePackedNumbers } from './packed-numbers.js'
import { Kind, ValueStore } from './value-store.js'

/** Loop names sent as a code; a name outside the list travels as text instead. */
const maxNameCodes = 255

/**
 * The loop iterations a dataframe needs, across its runs: the iteration number, the
 * loop's name and its iterated value (in `values`, at the same index) of each.
 */
export class LoopStore {
  readonly names: string[] = []
  readonly values = new ValueStore()
  iteration = new Float64Array(1024)
  nameId = new Int32Array(1024)
  parent = new Int32Array(1024)
  readonly #nameIds = new Map<string, number>()

  get length(): number {
    return this.values.length
  }

  /**
   * Reads the iterations `ctxIds` of a run and all their ancestors. Returns the index
   * of the run's ctx ids in this store.
   */
  async readRun(backend: Backend, runId: number, ctxIds: readonly number[]): Promise<CtxIndex> {
    const index = new CtxIndex()
    const parentCtx: number[] = []
    const firstRow = this.length
    let wanted = [...ctxIds]

    while (wanted.length > 0) {
      const parents = await this.#read(backend, runId, wanted, index)

      for (const ctx of parents) parentCtx.push(ctx)
      wanted = [...new Set(parents.filter((ctx) => ctx >= 0 && index.get(ctx) < 0))]
    }

    for (let row = firstRow; row < this.length; row++) {
      const ctx = parentCtx[row - firstRow] ?? -1

      this.parent[row] = ctx < 0 ? -1 : index.get(ctx)
    }

    return index
  }

  nameOf(row: number): string {
    return this.names[this.nameId[row] ?? -1] ?? ''
  }

  async #read(backend: Backend, runId: number, ctxIds: number[], index: CtxIndex): Promise<number[]> {
    let min = Infinity
    let max = -Infinity

    for (const ctx of ctxIds) {
      if (ctx < min) min = ctx
      if (ctx > max) max = ctx
    }

    // A dense set is read as one primary-key range; a sparse one as a list.
    const dense = ctxIds.length * 4 >= max - min + 1
    const filter = dense
      ? 'ctx_id between ? and ?'
      : 'ctx_id in (select value from json_each(?))'
    const known = this.names.slice(0, maxNameCodes)
    const nameCode = known.length
      ? `case name ${known.map((_, code) => `when ? then ${code + 1}`).join(' ')} else 0 end`
      : '0'
    const sql = `select count(*), group_concat(ctx_id), group_concat(ifnull(parent_ctx_id + 1, 0)),
        group_concat((iteration * 4 + s) * 256 + c), group_concat(n),
        json_group_array(t) filter (where t is not null),
        json_group_array(name) filter (where c = 0)
      from (
        select ctx_id, parent_ctx_id, iteration, name, ${nameCode} as c,
          case typeof(value) when 'integer' then 1 when 'real' then 1 when 'text' then 2 else 0 end as s,
          case when typeof(value) in ('integer', 'real') then ${packedNumberSql('value')} end as n,
          case when typeof(value) = 'text' then value end as t
        from loops
        where run_id = ? and ${filter}
        order by ctx_id
      )`
    const params = dense ? [runId, min, max] : [runId, JSON.stringify(ctxIds)]
    const [row] = await backend.rows(sql, [...known, ...params])
    const count = Number(row?.[0] ?? 0)
    const ctx = parsePackedNumbers(row?.[1], count)
    const parents = parsePackedNumbers(row?.[2], count)
    const meta = parsePackedNumbers(row?.[3], count)
    let numericCount = 0

    for (let i = 0; i < count; i++) if (Math.floor((meta[i] ?? 0) / 256) % 4 === 1) numericCount++

    const numbers = parsePackedNumbers(row?.[4], numericCount)
    const texts = JSON.parse(typeof row?.[5] === 'string' ? row[5] : '[]') as string[]
    const newNames = JSON.parse(typeof row?.[6] === 'string' ? row[6] : '[]') as string[]
    const first = this.#reserve(count)
    const values = this.values
    const parentCtx = new Array<number>(count)
    let nextNumber = 0
    let nextText = 0
    let nextName = 0

    index.reserve(min, max, count)

    for (let i = 0; i < count; i++) {
      const at = first + i
      const code = (meta[i] ?? 0) % 256
      const rest = ((meta[i] ?? 0) - code) / 256
      const storage = rest % 4

      this.iteration[at] = (rest - storage) / 4
      this.nameId[at] = code > 0 ? code - 1 : this.#nameId(newNames[nextName++] ?? '')
      parentCtx[i] = (parents[i] ?? 0) - 1
      index.set(ctx[i] ?? 0, at)

      if (storage === 1) {
        values.kinds[at] = Kind.number
        values.numbers[at] = numbers[nextNumber++] ?? 0
      } else if (storage === 2) {
        values.setText(at, Kind.string, texts[nextText++] ?? '')
      } else {
        values.kinds[at] = Kind.null
      }
    }

    return parentCtx
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
