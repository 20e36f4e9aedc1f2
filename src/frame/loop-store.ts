import type { Backend } from '../store/backend.js'
import { CtxIndex } from './ctx-index.js'
import {
  packedListSql,
  packedNumberSql,
  parsePackedIntegers,
  parsePackedNumbers,
} from './packed-numbers.js'
import { Kind, ValueStore } from './value-store.js'

/** Loop names sent as a code; a name outside the list travels as text instead. */
const maxNameCodes = 63
const lowSpan = 2 ** 30

/**
 * One row of packed lists for a run's loop iterations. Each iteration is one integer,
 * `iteration × 2^30 + (ctx − parent) × 2^9 + storage × 2^7 + range × 2^6 + name code`,
 * 52 bits at most; `range` says the value is `iteration − 1`, as for a loop over
 * indices, so no value travels. The rare rest (an iteration too big for that integer,
 * text values, names without a code, ctx ids with gaps) is read by a second
 * statement, `rest`, only when the first says it exists.
 */
function loopsSql(knownNames: number, dense: boolean): { main: string; rest: string } {
  const name = knownNames
    ? `case name ${Array.from({ length: knownNames }, (_, code) => `when ? then ${code + 1}`).join(' ')} else 0 end`
    : '0'
  // Comparisons instead of typeof(): SQLite orders null < numbers < text, and an
  // operator costs less than a function call on every iteration of a big loop.
  const from = `from (
      select ctx_id, parent_ctx_id, iteration, name, value, d, ${name} as c,
        iteration between 0 and ${2 ** 22 - 1} and d between 0 and ${2 ** 21 - 1} as f,
        case when value < '' then 1 when value >= '' then 2 else 0 end as s,
        (value = iteration - 1) is true as r
      from (select *, ctx_id - ifnull(parent_ctx_id, ctx_id) as d from loops)
      where run_id = ? and ${dense ? 'ctx_id between ? and ?' : 'ctx_id in (select value from json_each(?))'}
      order by ctx_id
    )`

  return {
    main: `select count(*), min(ctx_id), max(ctx_id),
        ${packedListSql(`case when f then iteration * ${lowSpan} + d * 512 + s * 128 + r * 64 + c else -1 end`)},
        ${packedListSql(`case when not r then ${packedNumberSql('value')} end`)}
      ${from}`,
    rest: `select ${packedListSql('ctx_id')},
        ${packedListSql(`case when not f then iteration || ',' || ifnull(parent_ctx_id + 1, 0) || ',' || s || ',' || r end`)},
        json_group_array(value) filter (where s = 2),
        json_group_array(name) filter (where c = 0 or not f)
      ${from}`,
  }
}

/**
 * The loop iterations a dataframe needs, across its runs: the iteration number, the
 * loop's name and its iterated value (in `values`, at the same index) of each.
 */
export class LoopStore {
  readonly names: string[] = []
  readonly values = new ValueStore()
  iteration = new Float64Array(1024)
  nameId = new Int32Array(1024)
  // Holds ctx ids (any integer) while a run is read, then rows of this store.
  parent = new Float64Array(1024)
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
    const firstRow = this.length
    let wanted: readonly number[] = ctxIds

    while (wanted.length > 0) {
      const from = this.length

      await this.#read(backend, runId, wanted, index)

      const missing = new Set<number>()

      for (let row = from; row < this.length; row++) {
        const ctx = this.parent[row] ?? -1

        if (ctx >= 0 && index.get(ctx) < 0) missing.add(ctx)
      }

      wanted = [...missing]
    }

    // Until now `parent` held ctx ids; every one of them has been read by now.
    for (let row = firstRow; row < this.length; row++) {
      const ctx = this.parent[row] ?? -1

      this.parent[row] = ctx < 0 ? -1 : index.get(ctx)
    }

    return index
  }

  async #read(
    backend: Backend,
    runId: number,
    ctxIds: readonly number[],
    index: CtxIndex,
  ): Promise<void> {
    let min = Infinity
    let max = -Infinity

    for (const ctx of ctxIds) {
      if (ctx < min) min = ctx
      if (ctx > max) max = ctx
    }

    // A dense set is read as one primary-key range; a sparse one as a list.
    const dense = ctxIds.length * 4 >= max - min + 1
    const known = this.names.slice(0, maxNameCodes)
    const params = [...known, runId, ...(dense ? [min, max] : [JSON.stringify(ctxIds)])]
    const sql = loopsSql(known.length, dense)
    const [row] = await backend.rows(sql.main, params)
    const count = Number(row?.[0] ?? 0)

    if (count === 0) return

    const first = Number(row?.[1] ?? 0)
    // Ctx ids are usually consecutive; then they need not travel at all.
    const consecutive = count === Number(row?.[2] ?? 0) - first + 1
    const meta = parsePackedIntegers(row?.[3], count)
    let wideCount = 0
    let restCount = consecutive ? 0 : 1

    for (let i = 0; i < count; i++) {
      const packed = meta[i] ?? -1
      const low = packed - Math.floor(packed / lowSpan) * lowSpan

      if (packed < 0) wideCount++
      else if ((low & 63) === 0 || (low >>> 7) % 4 === 2) restCount++
    }

    const [rest] = wideCount + restCount > 0 ? await backend.rows(sql.rest, params) : []
    const ctx = consecutive ? undefined : parsePackedIntegers(rest?.[0], count)
    const wide = parsePackedNumbers(rest?.[1], 4 * wideCount)
    const texts = parseJson(rest?.[2])
    const spelled = parseJson(rest?.[3])
    let numericCount = 0

    for (let i = 0; i < count; i++) {
      const packed = meta[i] ?? -1
      const low = packed - Math.floor(packed / lowSpan) * lowSpan

      if (packed >= 0 && (low >>> 7) % 4 === 1 && ((low >>> 6) & 1) === 0) numericCount++
    }

    for (let i = 0; i < wideCount; i++)
      if (wide[4 * i + 2] === 1 && wide[4 * i + 3] === 0) numericCount++

    const numbers = parsePackedNumbers(row?.[4], numericCount)
    const start = this.#reserve(count)
    const values = this.values
    let nextWide = 0
    let nextNumber = 0
    let nextText = 0
    let nextName = 0

    index.reserve(min, max, count)

    for (let i = 0; i < count; i++) {
      const at = start + i
      const own = ctx ? (ctx[i] ?? 0) : first + i
      const packed = meta[i] ?? -1
      let code: number
      let range: number
      let storage: number

      if (packed >= 0) {
        // Split off the iteration so the rest fits int32 bit operations.
        const iteration = Math.floor(packed / lowSpan)
        const low = packed - iteration * lowSpan
        const delta = low >>> 9

        code = low & 63
        range = (low >>> 6) & 1
        storage = (low >>> 7) & 3
        this.iteration[at] = iteration
        this.parent[at] = delta === 0 ? -1 : own - delta
      } else {
        code = 0
        this.iteration[at] = wide[nextWide++] ?? 0
        this.parent[at] = (wide[nextWide++] ?? 0) - 1
        storage = wide[nextWide++] ?? 0
        range = wide[nextWide++] ?? 0
      }

      this.nameId[at] = code > 0 ? code - 1 : this.#nameId(String(spelled[nextName++] ?? ''))
      index.set(own, at)

      if (storage === 1) {
        values.kinds[at] = Kind.number
        values.numbers[at] =
          range === 1 ? (this.iteration[at] ?? 0) - 1 : (numbers[nextNumber++] ?? 0)
      } else if (storage === 2) {
        values.setText(at, Kind.string, String(texts[nextText++] ?? ''))
      } else {
        values.kinds[at] = Kind.null
      }
    }
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

function parseJson(text: unknown): unknown[] {
  return typeof text === 'string' ? (JSON.parse(text) as unknown[]) : []
}
