import { CtxIndex } from './ctx-index.js'
import type { RunLogs } from './run-logs.js'

/** The distinct ctx ids of a run's records; position 0 is the run itself. */
export class Positions {
  readonly ofRecord: Int32Array
  readonly ctx: number[] = [-1]
  readonly #index = new CtxIndex()

  constructor(logs: RunLogs) {
    const index = this.#index

    this.ofRecord = new Int32Array(logs.count)

    let previous = Number.NaN
    let position = 0

    for (let record = 0; record < logs.count; record++) {
      const ctx = logs.ctx[record] ?? -1

      // Records of one position are usually consecutive: skip the lookup then.
      if (ctx !== previous) {
        previous = ctx
        position = ctx < 0 ? 0 : index.get(ctx)

        if (position < 0) {
          position = this.ctx.length
          this.ctx.push(ctx)
          index.set(ctx, position)
        }
      }

      this.ofRecord[record] = position
    }
  }

  get count(): number {
    return this.ctx.length
  }

  /** Positions by ctx id, the run itself first. */
  inExecutionOrder(): Int32Array {
    const order = new Int32Array(this.ctx.length)

    order.set(this.#index.ordered(), 1)

    return order
  }
}
