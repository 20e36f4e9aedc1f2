import pl from 'nodejs-polars'

import { FlorError } from '../errors.js'
import type { Backend, SqlValue } from '../store/backend.js'
import { reservedColumns } from '../store/schema.js'
import { FrameRows } from './frame-rows.js'
import { LoopStore } from './loop-store.js'
import { pivotRun } from './pivot-run.js'
import { Positions } from './positions.js'
import { readLoopColumns, readNameColumns, readRunLevelNames } from './read-columns.js'
import { toRunLogs, type RunLogs } from './run-logs.js'
import { dateSeries, toSeries, withNulls } from './to-series.js'
import { ValueStore } from './value-store.js'

export interface DataframeOptions {
  /** Only runs of this project. */
  readonly projid?: string
}

interface Run {
  readonly id: number
  readonly projid: string
  readonly tstamp: string
  readonly filename: string
}

/**
 * Pivots the logged values of `names` into a polars DataFrame: one row per run and loop
 * position where any of them was logged, with `projid, tstamp, filename`, a column per
 * enclosing loop (and `<loop>_value`), then the names. With no names, one row per run
 * with its run-level values. Numbers are Float64, loop iterations Int64, dates and
 * `tstamp` Datetime (ms, UTC), bigints Int64 (Utf8 decimal if one overflows), uniform
 * JSON List or Struct, and a column mixing types holds JSON text.
 *
 * ```ts
 * const frame = await buildDataframe(backend, ['loss', 'acc'])
 * frame.filter(pl.col('epoch').eq(3)).writeCSV('epoch-3.csv')
 * ```
 */
export async function buildDataframe(
  backend: Backend,
  names: readonly string[],
  options: DataframeOptions = {},
): Promise<pl.DataFrame> {
  const requested = [...new Set(names)]

  for (const name of requested) {
    if (reservedColumns.includes(name)) throw reservedName(name, 'is a column of every row')
  }

  const runs = await readRuns(backend, options.projid)
  const everyRun = requested.length === 0
  const columns = everyRun ? await runLevelNames(backend, runs) : requested
  const stored =
    columns.length > 0 ? await readNameColumns(backend, columns, options.projid) : new Map()
  const records = sum([...stored.values()].flat(), ({ row }) => row.count)
  const values = new ValueStore(records)
  const logs = runs.map(({ id }) => toRunLogs(stored.get(id) ?? [], everyRun, values))
  const positions = logs.map((run) => new Positions(run))
  // Only runs with records inside loops need their iterations.
  const looped = runs.filter((_, run) => (positions[run]?.count ?? 0) > 1).map(({ id }) => id)
  const loopColumns = await readLoopColumns(backend, looped)
  const loops = new LoopStore(sum([...loopColumns.values()], (row) => row.count))
  const rows = new FrameRows(columns.length, Math.max(records, runs.length))

  for (const [run, { id }] of runs.entries()) {
    const runLogs = logs[run] as RunLogs

    if (everyRun && runLogs.count === 0) {
      rows.add(run, 1)
      continue
    }

    const firstLoopRow = loops.length
    const loopRows = loops.addRun(loopColumns.get(id))

    pivotRun({
      run,
      logs: runLogs,
      positions: positions[run] as Positions,
      loops,
      loopRows,
      firstLoopRow,
      rows,
    })
  }

  return assemble(runs, columns, rows, values, loops)
}

const sum = <T>(items: readonly T[], count: (item: T) => number): number =>
  items.reduce((total, item) => total + Number(count(item)), 0)

function reservedName(name: string, why: string): FlorError {
  return new FlorError(
    'E_RESERVED_NAME',
    `"${name}" ${why} and cannot be requested from the dataframe; use flor.query to read it`,
  )
}

async function readRuns(backend: Backend, projid: string | undefined): Promise<Run[]> {
  const filter = projid === undefined ? '' : 'where projid = ?'
  const params: SqlValue[] = projid === undefined ? [] : [projid]
  const rows = await backend.rows(
    `select run_id, projid, tstamp, filename from runs ${filter} order by tstamp, run_id`,
    params,
  )

  return rows.map(([id, projid, tstamp, filename]) => ({
    id: Number(id),
    projid: String(projid),
    tstamp: String(tstamp),
    filename: String(filename),
  }))
}

/** Names logged outside any loop, in the order runs first logged them. */
async function runLevelNames(backend: Backend, runs: readonly Run[]): Promise<string[]> {
  const order = new Map(runs.map((run, index) => [run.id, index]))
  const firsts = new Map<string, [number, number]>()

  for (const { runId, name, seq } of await readRunLevelNames(backend)) {
    const run = order.get(runId)
    const first = firsts.get(name)

    if (run === undefined || reservedColumns.includes(name)) continue

    if (!first || run < first[0] || (run === first[0] && seq < first[1])) {
      firsts.set(name, [run, seq])
    }
  }

  return [...firsts].sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1]).map(([name]) => name)
}

function assemble(
  runs: readonly Run[],
  names: readonly string[],
  rows: FrameRows,
  values: ValueStore,
  loops: LoopStore,
): pl.DataFrame {
  const length = rows.length
  const loopIds = rows.loopDepth
    .map((depth, id) => ({ depth, id }))
    .filter(({ depth }) => depth < Infinity)
    .sort((a, b) => a.depth - b.depth || a.id - b.id)
    .map(({ id }) => id)
  const series: pl.Series[] = []
  const order = ['projid', 'tstamp', 'filename']
  const nullColumns: string[] = []

  for (const id of loopIds) {
    const loop = loops.names[id] ?? ''
    const refs = rows.loops[id] as Int32Array
    const valueColumn = toSeries(`${loop}_value`, refs, length, loops.values)

    series.push(iterationSeries(loop, refs, length, loops))
    order.push(loop)

    if (valueColumn) {
      series.push(valueColumn)
      order.push(valueColumn.name)
    }
  }

  for (const name of names) {
    if (order.includes(name)) throw reservedName(name, 'is a loop column of this dataframe')
  }

  for (const [index, name] of names.entries()) {
    const column = toSeries(name, rows.names[index] as Int32Array, length, values)

    if (column) series.push(column)
    else nullColumns.push(name)

    order.push(name)
  }

  // Gathering each row's run from a frame of runs costs half of a join on the run index.
  const runColumns = runFrame(runs)
    .select(pl.cols('projid', 'tstamp', 'filename').gather(pl.Series(rows.run.subarray(0, length))))
    .getColumns()
  let frame = pl.DataFrame([...runColumns, ...series])

  if (nullColumns.length > 0)
    frame = frame.withColumns(...nullColumns.map((name) => pl.lit(null).alias(name)))

  return frame.select(...order)
}

function runFrame(runs: readonly Run[]): pl.DataFrame {
  const tstamps = runs.map((run) => run.tstamp)

  return pl.DataFrame([
    pl.Series(
      'projid',
      runs.map((run) => run.projid),
      pl.Utf8,
    ),
    dateSeries('tstamp', tstamps) ?? pl.Series('tstamp', tstamps, pl.Utf8),
    pl.Series(
      'filename',
      runs.map((run) => run.filename),
      pl.Utf8,
    ),
  ])
}

function iterationSeries(
  loop: string,
  refs: Int32Array,
  length: number,
  loops: LoopStore,
): pl.Series {
  const iterations = new Float64Array(length)
  const nulls = new Uint8Array(length)
  let missing = false

  for (let row = 0; row < length; row++) {
    const ref = refs[row] ?? -1

    if (ref >= 0) {
      iterations[row] = loops.iteration[ref] ?? 0
    } else {
      nulls[row] = 1
      missing = true
    }
  }

  const series = pl.Series(loop, iterations).cast(pl.Int64)

  return missing ? withNulls(series, nulls) : series
}
