/**
 * The dataframe's rows before they become columns: each row's run, and per column the
 * index of its value (in the value store or the loop store), -1 when it has none.
 */
export class FrameRows {
  length = 0
  run: Int32Array
  readonly names: Int32Array[]
  readonly loops: Int32Array[] = []
  /** The shallowest depth (0 = outermost) at which each loop name appears in a row. */
  readonly loopDepth: number[] = []

  /** `capacity`: how many rows are expected, so a big frame allocates once. */
  constructor(nameCount: number, capacity = 1024) {
    this.run = new Int32Array(capacity)
    this.names = Array.from({ length: nameCount }, () => new Int32Array(capacity).fill(-1))
  }

  /** Adds `count` rows of `run` and returns the first; their cells start empty. */
  add(run: number, count: number): number {
    const start = this.length
    const needed = start + count

    this.reserve(count)

    if (count === 1) this.run[start] = run
    else this.run.fill(run, start, needed)

    this.length = needed

    return start
  }

  /** Makes room for `count` more rows at once, so a big run grows the columns once. */
  reserve(count: number): void {
    const needed = this.length + count

    if (needed > this.run.length) this.#grow(Math.max(needed, 2 * this.run.length))
  }

  loopColumn(nameId: number, depth: number): Int32Array {
    while (this.loops.length <= nameId) {
      this.loops.push(new Int32Array(this.run.length).fill(-1))
      this.loopDepth.push(Infinity)
    }

    if (depth < (this.loopDepth[nameId] ?? Infinity)) this.loopDepth[nameId] = depth

    return this.loops[nameId] as Int32Array
  }

  #grow(size: number): void {
    const widen = (column: Int32Array): Int32Array => {
      const next = new Int32Array(size).fill(-1)

      next.set(column)

      return next
    }

    this.run = widen(this.run)
    this.names.splice(0, this.names.length, ...this.names.map(widen))
    this.loops.splice(0, this.loops.length, ...this.loops.map(widen))
  }
}
