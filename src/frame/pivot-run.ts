import type { CtxIndex } from './ctx-index.js'
import type { FrameRows } from './frame-rows.js'
import type { LoopStore } from './loop-store.js'
import type { Positions } from './positions.js'
import type { RunLogs } from './run-logs.js'

/** What one run contributes to a dataframe: its records, the loops around them, where rows go. */
export interface RunPivot {
  readonly run: number
  readonly logs: RunLogs
  readonly positions: Positions
  readonly loops: LoopStore
  /** The run's ctx ids → rows of `loops`. */
  readonly loopRows: CtxIndex
  /** The first row of `loops` read for this run; the run's rows follow it. */
  readonly firstLoopRow: number
  readonly rows: FrameRows
}

/**
 * Turns one run's records into rows. A position (a loop iteration, or the run itself)
 * with records gives one row per occurrence, zipping its names' k-th values, unless
 * records below it exist: then its values are broadcast onto those rows instead
 * (an outer join on the loop columns they share). When a name is logged both at a
 * position and below it, broadcasting would hide values, so that position keeps its
 * own rows. Rows follow positions in execution order (ctx id), the run itself first.
 */
export function pivotRun(pivot: RunPivot): void {
  const { logs, positions, rows } = pivot
  const width = rows.names.length
  const size = positions.count
  const counts = new Int32Array(size * width)
  const head = new Int32Array(size * width).fill(-1)
  const tail = new Int32Array(size * width)
  const next = new Int32Array(logs.count).fill(-1)
  const occurrences = new Int32Array(size)
  // With up to 31 names, the names at a position fit in one int.
  const masks = width <= 31 ? new Int32Array(size) : undefined

  for (let record = 0; record < logs.count; record++) {
    const position = positions.ofRecord[record] ?? 0
    const cell = position * width + (logs.name[record] ?? 0)
    const count = (counts[cell] ?? 0) + 1

    if (count === 1) head[cell] = record
    else next[tail[cell] ?? 0] = record

    tail[cell] = record
    counts[cell] = count

    if (count > (occurrences[position] ?? 0)) occurrences[position] = count
    if (masks) masks[position] = (masks[position] ?? 0) | (1 << (logs.name[record] ?? 0))
  }

  const loopRow = new Int32Array(size).fill(-1)

  rows.reserve(logs.count)

  const broadcast = findBroadcasts(pivot, { counts, masks, occurrences }, loopRow)
  const emit = rowEmitter(pivot, { head, next, occurrences, masks })
  const chain = new Int32Array(size)
  const order = positions.inExecutionOrder()

  for (let at = 0; at < order.length; at++) {
    const position = order[at] ?? 0

    if ((occurrences[position] ?? 0) === 0 || broadcast.at[position] === 1) continue

    let links = 0

    chain[links++] = position

    for (let above = position; above !== 0;) {
      above = broadcast.up[above] ?? 0

      if (broadcast.at[above] === 1) chain[links++] = above
    }

    emit(chain, links, loopRow[position] ?? -1)
  }
}

/**
 * Which positions are broadcast onto the rows below them (`at`), and each position's
 * nearest ancestor with records (`up`, 0 for the run itself). Fills `loopRow`.
 */
function findBroadcasts(
  pivot: RunPivot,
  {
    counts,
    masks,
    occurrences,
  }: { counts: Int32Array; masks?: Int32Array; occurrences: Int32Array },
  loopRow: Int32Array,
): { at: Uint8Array; up: Int32Array } {
  const { positions, loops, loopRows, firstLoopRow } = pivot
  const width = pivot.rows.names.length
  const size = positions.count
  const positionOfLoopRow = new Int32Array(Math.max(0, loops.length - firstLoopRow)).fill(-1)
  const parent = loops.parent
  const hasBelow = new Uint8Array(size)
  const conflicts = new Uint8Array(size)
  const up = new Int32Array(size)

  for (let position = 1; position < size; position++) {
    const row = loopRows.get(positions.ctx[position] ?? -1)

    loopRow[position] = row

    if (row >= firstLoopRow) positionOfLoopRow[row - firstLoopRow] = position
  }

  const shares = (below: number, above: number): boolean => {
    if (masks) return ((masks[below] ?? 0) & (masks[above] ?? 0)) !== 0

    for (let name = 0; name < width; name++) {
      if ((counts[below * width + name] ?? 0) > 0 && (counts[above * width + name] ?? 0) > 0)
        return true
    }

    return false
  }

  for (let position = 1; position < size; position++) {
    let nearest = 0
    let row = loopRow[position] ?? -1

    for (row = row < 0 ? -1 : (parent[row] ?? -1); row >= 0; row = parent[row] ?? -1) {
      const above = positionOfLoopRow[row - firstLoopRow] ?? -1

      if (above < 0) continue
      if (nearest === 0) nearest = above

      hasBelow[above] = 1

      if (conflicts[above] === 0 && shares(position, above)) conflicts[above] = 1
    }

    up[position] = nearest
    hasBelow[0] = 1

    if (conflicts[0] === 0 && shares(position, 0)) conflicts[0] = 1
  }

  const at = new Uint8Array(size)

  for (let position = 0; position < size; position++) {
    at[position] =
      (occurrences[position] ?? 0) > 0 && hasBelow[position] === 1 && conflicts[position] === 0
        ? 1
        : 0
  }

  return { at, up }
}

// Each (position, name) cell lists its records in the order logged: `head` holds the
// first, `next` the one after each record.
interface Occurrences {
  readonly head: Int32Array
  readonly next: Int32Array
  readonly occurrences: Int32Array
  /** The names present at each position, as bits, when there are at most 31 names. */
  readonly masks?: Int32Array | undefined
}

/** Writes the rows of `chain[0]`, crossed with the broadcast positions above it in `chain`. */
function rowEmitter(pivot: RunPivot, { head, next, occurrences, masks }: Occurrences) {
  const { rows, run, logs, loops } = pivot
  const { parent, nameId } = loops
  const columns = rows.names
  const width = rows.names.length
  const first = logs.first
  let path = new Int32Array(16)

  return (chain: Int32Array, links: number, loopRow: number): void => {
    let total = 1

    for (let link = 0; link < links; link++) total *= occurrences[chain[link] ?? 0] ?? 1

    const start = rows.add(run, total)
    let depths = 0

    for (let row = loopRow; row >= 0; row = parent[row] ?? -1) {
      if (depths === path.length)
        path = Int32Array.from({ length: 2 * depths }, (_, i) => path[i] ?? 0)

      path[depths++] = row
    }

    // Outermost first, so a loop nested in a loop of the same name shows the inner one.
    for (let depth = 0; depth < depths; depth++) {
      const row = path[depths - 1 - depth] ?? 0
      const column = rows.loopColumn(nameId[row] ?? 0, depth)

      if (total === 1) column[start] = row
      else column.fill(row, start, start + total)
    }

    if (total === 1) {
      for (let link = 0; link < links; link++) {
        const position = chain[link] ?? 0
        const cells = position * width

        if (masks) {
          // Visits only the names present, lowest bit first.
          for (let bits = masks[position] ?? 0; bits !== 0; bits &= bits - 1) {
            const name = 31 - Math.clz32(bits & -bits)

            ;(columns[name] as Int32Array)[start] = first + (head[cells + name] ?? 0)
          }

          continue
        }

        for (let name = 0; name < width; name++) {
          const record = head[cells + name] ?? -1

          if (record >= 0) (columns[name] as Int32Array)[start] = first + record
        }
      }

      return
    }

    const lists = Array.from(chain.subarray(0, links), (position) => {
      const perName: number[][] = []

      for (let name = 0; name < width; name++) {
        const records: number[] = []

        for (
          let record = head[position * width + name] ?? -1;
          record >= 0;
          record = next[record] ?? -1
        ) {
          records.push(first + record)
        }

        perName.push(records)
      }

      return perName
    })

    // The position's own occurrences vary fastest, so they stay in the order logged.
    for (let offset = 0; offset < total; offset++) {
      let rest = offset

      for (let link = 0; link < links; link++) {
        const position = chain[link] ?? 0
        const k = occurrences[position] ?? 1
        const occurrence = rest % k

        rest = (rest - occurrence) / k

        for (const [name, records] of (lists[link] ?? []).entries()) {
          const ref = records[occurrence]

          if (ref !== undefined) (rows.names[name] as Int32Array)[start + offset] = ref
        }
      }
    }
  }
}
