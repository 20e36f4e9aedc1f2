import type { SqlValue, Transaction } from '../store/backend.js'
import { LoopColumns, type LoopColumnsRow } from './loop-columns.js'
import { NameColumns, type NameColumnsRow } from './name-columns.js'

/** A row bound to `insert into loops (run_id, ctx_id, parent_ctx_id, name, iteration, value)`. */
export type LoopRow = readonly SqlValue[]
/** A row bound to `insert into logs (run_id, seq, ctx_id, name, vtype, value, …)`. */
export type LogRow = readonly SqlValue[]

const upsertName = `insert or replace into frame_columns
  (run_id, name, count, original, run_level_seq, seq, ctx, kinds, numbers, texts)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const upsertLoops = `insert or replace into frame_loops
  (run_id, count, names, ctx, parent, iteration, name, kinds, numbers, texts)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

/** Writes the column rows of a new run from the rows just inserted into `loops` and `logs`. */
export async function writeColumns(
  tx: Transaction,
  runId: number,
  loopRows: readonly LoopRow[],
  logRows: readonly LogRow[],
): Promise<void> {
  const byName = new Map<string, NameColumns>()

  for (const row of logRows) {
    const name = String(row[3])
    let columns = byName.get(name)

    if (!columns) byName.set(name, (columns = new NameColumns()))

    addLog(columns, row)
    columns.original++
  }

  await tx.insertMany(
    upsertName,
    [...byName].map(([name, columns]) => [runId, name, ...columns.params()]),
  )

  if (loopRows.length > 0) {
    const loops = new LoopColumns()

    for (const row of byCtx(loopRows)) addLoop(loops, row)

    await tx.run(upsertLoops, [runId, ...loops.params()])
  }
}

/**
 * Brings the column rows of a run up to date with a replay: the names it wrote
 * are read back from `logs` whole, so that they hold exactly what the rows
 * hold (a replay replaces only the positions it wrote again), and the loop
 * iterations it added join the run's.
 */
export async function writeReplayedColumns(
  tx: Transaction,
  runId: number,
  loopRows: readonly LoopRow[],
  names: readonly string[],
): Promise<void> {
  for (const name of names) {
    const rows = await tx.all<{
      seq: number
      ctx_id: number | null
      vtype: string
      value: SqlValue
      replayed_from: string | null
    }>(
      'select seq, ctx_id, vtype, value, replayed_from from logs where run_id = ? and name = ? order by seq',
      [runId, name],
    )
    const columns = new NameColumns()

    for (const row of rows) {
      columns.add(row.seq, row.ctx_id, row.vtype, row.value)

      // Replayed rows come after the run's own: their seqs are appended.
      if (row.replayed_from === null) columns.original++
    }

    await tx.run(upsertName, [runId, name, ...columns.params()])
  }

  if (loopRows.length === 0) return

  const stored = await tx.get<LoopColumnsRow>('select * from frame_loops where run_id = ?', [runId])
  const loops = stored ? LoopColumns.fromRow(stored) : new LoopColumns()

  for (const row of byCtx(loopRows)) addLoop(loops, row)

  await tx.run(upsertLoops, [runId, ...loops.params()])
}

const addLog = (columns: NameColumns, [, seq, ctx, , vtype, value]: LogRow): void =>
  columns.add(
    Number(seq),
    ctx === null || ctx === undefined ? null : Number(ctx),
    String(vtype),
    value ?? null,
  )

const addLoop = (loops: LoopColumns, [, ctx, parent, name, iteration, value]: LoopRow): void =>
  loops.add(
    Number(ctx),
    parent === null || parent === undefined ? null : Number(parent),
    String(name),
    Number(iteration),
    value ?? null,
  )

// Iterations are kept by ctx id, as the backfill orders them; journals usually are already.
function byCtx(rows: readonly LoopRow[]): readonly LoopRow[] {
  for (let i = 1; i < rows.length; i++) {
    if (Number(rows[i]?.[1]) < Number(rows[i - 1]?.[1])) {
      return [...rows].sort((a, b) => Number(a[1]) - Number(b[1]))
    }
  }

  return rows
}
