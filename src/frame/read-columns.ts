import type { Backend, SqlValue } from '../store/backend.js'
import type { LoopColumnsRow } from './loop-columns.js'
import type { NameColumnsRow } from './name-columns.js'

/** One name's stored columns in one run, with the name's index among the requested. */
export interface StoredName {
  readonly index: number
  readonly row: Omit<NameColumnsRow, 'original' | 'seq'>
}

/** The column rows of `names` in every run (of `projid`), by run id: one statement. */
export async function readNameColumns(
  backend: Backend,
  names: readonly string[],
  projid: string | undefined,
): Promise<Map<number, StoredName[]>> {
  const index = new Map(names.map((name, at) => [name, at]))
  const byRun = new Map<number, StoredName[]>()
  const params: SqlValue[] = [JSON.stringify(names)]

  if (projid !== undefined) params.push(projid)

  const rows = await backend.all<NameColumnsRow & { run_id: number; name: string }>(
    `select run_id, name, count, ctx, kinds, numbers, texts from frame_columns
    where name in (select value from json_each(?))
      ${projid === undefined ? '' : 'and run_id in (select run_id from runs where projid = ?)'}`,
    params,
  )

  for (const row of rows) {
    const stored = { index: index.get(row.name) ?? 0, row }
    const runId = Number(row.run_id)
    const list = byRun.get(runId)

    if (list) list.push(stored)
    else byRun.set(runId, [stored])
  }

  // Names in the order requested, so a run's records are grouped the same way every time.
  for (const list of byRun.values()) list.sort((a, b) => a.index - b.index)

  return byRun
}

/** The loop column rows of `runIds`, by run id: one statement. */
export async function readLoopColumns(
  backend: Backend,
  runIds: readonly number[],
): Promise<Map<number, LoopColumnsRow>> {
  if (runIds.length === 0) return new Map()

  const rows = await backend.all<LoopColumnsRow & { run_id: number }>(
    'select * from frame_loops where run_id in (select value from json_each(?))',
    [JSON.stringify(runIds)],
  )

  return new Map(rows.map((row) => [Number(row.run_id), row]))
}

/** The names each run logged outside any loop, with the seq of the first such record. */
export async function readRunLevelNames(
  backend: Backend,
): Promise<{ runId: number; name: string; seq: number }[]> {
  const rows = await backend.rows(
    'select run_id, name, run_level_seq from frame_columns where run_level_seq is not null',
  )

  return rows.map(([runId, name, seq]) => ({
    runId: Number(runId),
    name: String(name),
    seq: Number(seq),
  }))
}
