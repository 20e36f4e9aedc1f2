import { readFloat64s, readInt64s, readTexts, readUint8s } from './column-blobs.js'
import { hasText } from './name-columns.js'
import type { StoredName } from './read-columns.js'
import { Kind, type ValueStore } from './value-store.js'

/** The requested records of one run, grouped by name, each name's in the order logged. */
export interface RunLogs {
  /** Each record's ctx id, or -1 for a run-level record. */
  readonly ctx: Float64Array
  /** Each record's index in the requested names. */
  readonly name: Int32Array
  /** Record `i` holds value `first + i` of the value store. */
  readonly first: number
  readonly count: number
}

/**
 * Lays a run's stored name columns end to end, their values into `store`. With
 * `runLevelOnly`, only records logged outside any loop are kept.
 */
export function toRunLogs(
  names: readonly StoredName[],
  runLevelOnly: boolean,
  store: ValueStore,
): RunLogs {
  const decoded = names.map(({ index, row }) => ({ index, row, ctx: readInt64s(row.ctx) }))
  let count = 0

  for (const { ctx } of decoded) {
    if (!runLevelOnly) count += ctx.length
    else for (const id of ctx) if (id === -1) count++
  }

  const ctx = new Float64Array(count)
  const name = new Int32Array(count)
  const first = store.reserve(count)
  let at = 0

  for (const { index, row, ctx: ids } of decoded) {
    const numbers = readFloat64s(row.numbers)
    const kinds = row.kinds === null ? undefined : readUint8s(row.kinds)
    const texts = kinds ? readTexts(row.texts) : []

    if (!kinds && !runLevelOnly) {
      // Every value a number: the columns copy over whole.
      ctx.set(ids, at)
      name.fill(index, at, at + ids.length)
      store.kinds.fill(Kind.number, first + at, first + at + ids.length)
      store.numbers.set(numbers.subarray(0, ids.length), first + at)
      at += ids.length
      continue
    }

    let text = 0

    for (let record = 0; record < ids.length; record++) {
      const kind = kinds ? (kinds[record] ?? Kind.null) : Kind.number
      const id = ids[record] ?? -1
      const textAt = hasText(kind) ? text++ : -1

      if (runLevelOnly && id !== -1) continue

      ctx[at] = id
      name[at] = index

      if (textAt >= 0) store.setText(first + at, kind as Kind, texts[textAt] ?? '')
      else {
        store.kinds[first + at] = kind
        store.numbers[first + at] = numbers[record] ?? 0
      }

      at++
    }
  }

  return { ctx, name, first, count }
}
