import { CtxIndex } from './ctx-index.js'
import type { RunLogs } from './read-run-logs.js'

/** The distinct ctx ids of a run's records; position 0 is the run itself. */
export class Positions {
  readonly ofRecord: Int32Array
  readonly ctx: number[] = [-1]

  constructor(logs: RunLogs) {
    const index = new CtxIndex()

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

  inExecutionOrder(): Iterable<number> {
    const order = Array.from(this.ctx.keys())
    const ctx = this.ctx

    for (let position = 2; position < ctx.length; position++) {
      if ((ctx[position] ?? 0) < (ctx[position - 1] ?? 0)) {
        return order.sort((a, b) => (ctx[a] ?? -1) - (ctx[b] ?? -1))
      }
    }

    return order
  }
}
