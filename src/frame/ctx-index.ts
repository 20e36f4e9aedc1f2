/**
 * Maps a run's ctx ids to row numbers. Ctx ids are handed out in sequence within a run,
 * so a typed array over their range is far cheaper than a Map for a million loop
 * iterations; sparse ids fall back to a Map.
 */
export class CtxIndex {
  #base = 0
  #slots = new Int32Array(0)
  #map: Map<number, number> | undefined
  #count = 0

  get(ctx: number): number {
    if (this.#map) return this.#map.get(ctx) ?? -1

    const slot = ctx - this.#base

    return slot >= 0 && slot < this.#slots.length ? (this.#slots[slot] ?? -1) : -1
  }

  set(ctx: number, row: number): void {
    this.#count++

    if (!this.#map && (ctx < this.#base || ctx >= this.#base + this.#slots.length)) {
      this.#cover(ctx, ctx, 1)
    }

    const map = this.#map

    if (map) map.set(ctx, row)
    else this.#slots[ctx - this.#base] = row
  }

  /** The rows, ordered by their ctx ids. */
  ordered(): Int32Array {
    const rows = new Int32Array(this.#count)
    let next = 0

    if (this.#map) {
      const ctxs = Float64Array.from(this.#map.keys()).sort()

      for (const ctx of ctxs) rows[next++] = this.#map.get(ctx) ?? -1
    } else {
      for (const row of this.#slots) if (row >= 0) rows[next++] = row
    }

    return rows.subarray(0, next)
  }

  /** Makes room for `count` ids between `min` and `max`, so a bulk fill grows it once. */
  reserve(min: number, max: number, count: number): void {
    if (!this.#map) this.#cover(min, max, count)
  }

  #cover(min: number, max: number, count: number): void {
    const empty = this.#slots.length === 0
    const low = empty ? min : Math.min(this.#base, min)
    const high = empty ? max : Math.max(this.#base + this.#slots.length - 1, max)
    const span = high - low + 1

    if (!Number.isSafeInteger(span) || span > 4 * (this.#count + count) + 65_536) {
      const map = new Map<number, number>()

      for (const [slot, row] of this.#slots.entries()) {
        if (row >= 0) map.set(this.#base + slot, row)
      }

      this.#map = map
      this.#slots = new Int32Array(0)

      return
    }

    if (low === this.#base && span <= this.#slots.length) return

    const size = Math.min(Math.max(span, 2 * this.#slots.length), 4 * span)
    const slots = new Int32Array(size).fill(-1)

    if (!empty) slots.set(this.#slots, this.#base - low)
    this.#base = low
    this.#slots = slots
  }
}
