import type { CtxIndex } from './ctx-index.js'
import type { FrameRows } from './frame-rows.js'
import type { LoopStore } from './loop-store.js'
import type { Positions } from './positions.js'
import type { RunLogs } from './read-run-logs.js'

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
  const { logs, positions, loops, loopRows, firstLoopRow } = pivot
  const width = pivot.rows.names.length
  const size = positions.count
  const counts = new Int32Array(size * width)
  const head = new Int32Array(size * width).fill(-1)
  const tail = new Int32Array(size * width)
  const next = new Int32Array(logs.count).fill(-1)
  const occurrences = new Int32Array(size)

  for (let record = 0; record < logs.count; record++) {
    const cell = (positions.ofRecord[record] ?? 0) * width + (logs.name[record] ?? 0)
    const last = tail[cell] ?? -1

    if ((counts[cell] ?? 0) === 0) head[cell] = record
    else next[last] = record

    tail[cell] = record
    counts[cell] = (counts[cell] ?? 0) + 1
  }

  for (let cell = 0; cell < counts.length; cell++) {
    const position = (cell / width) | 0

    if ((counts[cell] ?? 0) > (occurrences[position] ?? 0)) occurrences[position] = counts[cell] ?? 0
  }

  // Which positions sit below which, through the loops table's parent links.
  const loopRow = new Int32Array(size).fill(-1)
  const positionOfLoopRow = new Int32Array(Math.max(0, loops.length - firstLoopRow)).fill(-1)

  for (let position = 1; position < size; position++) {
    const row = loopRows.get(positions.ctx[position] ?? -1)

    loopRow[position] = row

    if (row >= firstLoopRow) positionOfLoopRow[row - firstLoopRow] = position
  }

  const shares = (below: number, above: number): boolean => {
    for (let name = 0; name < width; name++) {
      if ((counts[below * width + name] ?? 0) > 0 && (counts[above * width + name] ?? 0) > 0) return true
    }

    return false
  }

  const hasBelow = new Uint8Array(size)
  const conflicts = new Uint8Array(size)
  const up = new Int32Array(size)

  for (let position = 1; position < size; position++) {
    let nearest = 0

    for (let row = loops.parent[loopRow[position] ?? -1] ?? -1; row >= 0; row = loops.parent[row] ?? -1) {
      const above = positionOfLoopRow[row - firstLoopRow] ?? -1

      if (above < 0) continue
      if (nearest === 0) nearest = above

      hasBelow[above] = 1

      if (!conflicts[above] && shares(position, above)) conflicts[above] = 1
    }

    up[position] = nearest
    hasBelow[0] = 1

    if (!conflicts[0] && shares(position, 0)) conflicts[0] = 1
  }

  const broadcast = (position: number): boolean =>
    (occurrences[position] ?? 0) > 0 && hasBelow[position] === 1 && conflicts[position] === 0

  const emitter = new RowEmitter(pivot, counts, head, next, occurrences)

  for (const position of positions.inExecutionOrder()) {
    if ((occurrences[position] ?? 0) === 0 || broadcast(position)) continue

    const chain = [position]

    for (let above = position; above !== 0; ) {
      above = up[above] ?? 0

      if (broadcast(above)) chain.push(above)
    }

    emitter.emit(chain, loopRow[position] ?? -1)
  }
}

class RowEmitter {
  readonly #pivot: RunPivot
  readonly #counts: Int32Array
  readonly #head: Int32Array
  readonly #next: Int32Array
  readonly #occurrences: Int32Array
  readonly #width: number

  constructor(pivot: RunPivot, counts: Int32Array, head: Int32Array, next: Int32Array, occurrences: Int32Array) {
    this.#pivot = pivot
    this.#counts = counts
    this.#head = head
    this.#next = next
    this.#occurrences = occurrences
    this.#width = pivot.rows.names.length
  }

  /** Rows for `chain[0]`, crossed with the broadcast positions above it in `chain`. */
  emit(chain: readonly number[], loopRow: number): void {
    const { rows, run, logs } = this.#pivot
    let total = 1

    for (const position of chain) total *= this.#occurrences[position] ?? 1

    const start = rows.add(run, total)

    this.#fillLoops(start, total, loopRow)

    if (total === 1) {
      for (const position of chain) {
        for (let name = 0; name < this.#width; name++) {
          const record = this.#head[position * this.#width + name] ?? -1

          if (record >= 0) (rows.names[name] as Int32Array)[start] = logs.first + record
        }
      }

      return
    }

    // The position's own occurrences vary fastest, so they stay in the order logged.
    const lists = chain.map((position) => this.#occurrenceLists(position))

    for (let offset = 0; offset < total; offset++) {
      let rest = offset

      for (const [link, position] of chain.entries()) {
        const k = this.#occurrences[position] ?? 1
        const occurrence = rest % k

        rest = (rest - occurrence) / k

        for (const [name, records] of lists[link] ?? []) {
          const record = records[occurrence] ?? -1

          if (record >= 0) (rows.names[name] as Int32Array)[start + offset] = logs.first + record
        }
      }
    }
  }

  #fillLoops(start: number, total: number, loopRow: number): void {
    const { loops, rows } = this.#pivot
    const path: number[] = []

    for (let row = loopRow; row >= 0; row = loops.parent[row] ?? -1) path.push(row)

    // Outermost first, so a loop nested in a loop of the same name shows the inner one.
    for (let depth = 0; depth < path.length; depth++) {
      const row = path[path.length - 1 - depth] ?? -1

      rows.loopColumn(loops.nameId[row] ?? 0, depth).fill(row, start, start + total)
    }
  }

  #occurrenceLists(position: number): [number, number[]][] {
    const lists: [number, number[]][] = []

    for (let name = 0; name < this.#width; name++) {
      const records: number[] = []

      for (let record = this.#head[position * this.#width + name] ?? -1; record >= 0; ) {
        records.push(record)
        record = this.#next[record] ?? -1
      }

      if (records.length > 0) lists.push([name, records])
    }

    return lists
  }
}
