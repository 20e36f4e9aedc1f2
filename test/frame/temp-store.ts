import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { writeColumns, type LogRow, type LoopRow } from '../../src/frame/write-columns.js'
import type { Backend, SqlValue } from '../../src/store/backend.js'
import { openBackend } from '../../src/store/open-backend.js'

export interface TempStore {
  readonly backend: Backend
  addRun(run: { projid?: string; tstamp: string; filename: string }): Promise<RunWriter>
  close(): Promise<void>
}

/**
 * Writes one run's loops and logs straight into the tables, and the dataframe's column
 * rows from them, as ingestion would.
 */
export interface RunWriter {
  readonly id: number
  /** Opens a loop iteration under `parent` (the run itself when omitted); returns its ctx id. */
  loop(name: string, iteration: number, value?: SqlValue, parent?: number): Promise<number>
  /** Opens a loop iteration with a chosen ctx id, as a writer with sparse ids would. */
  loopAt(
    ctx: number,
    name: string,
    iteration: number,
    value?: SqlValue,
    parent?: number,
  ): Promise<number>
  /** Logs `value` at `ctx` (run level when omitted), encoded the way the record path does. */
  log(name: string, value: unknown, ctx?: number): Promise<void>
  /** Logs an already encoded value. */
  logRaw(name: string, vtype: string, value: SqlValue, ctx?: number): Promise<void>
}

export async function openTempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'flordb-frame-'))
  const backend = await openBackend(dir)
  let runs = 0

  return {
    backend,
    addRun: async ({ projid = 'pdf_parser', tstamp, filename }) => {
      const id = ++runs

      await backend.run(
        `insert into runs (run_id, projid, tstamp, filename, argv, runtime, status, started_at)
         values (?, ?, ?, ?, '[]', '{}', 'ok', ?)`,
        [id, projid, tstamp, filename, tstamp],
      )

      return runWriter(backend, id)
    },
    close: async () => {
      await backend.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function runWriter(backend: Backend, id: number): RunWriter {
  const loopRows: LoopRow[] = []
  const logRows: LogRow[] = []
  let ctx = 0
  let seq = 0

  // The whole run's column rows again after every write: test runs are small.
  const write = (table: 'loops' | 'logs', row: SqlValue[]): Promise<void> =>
    backend.transaction(async (tx) => {
      const columns =
        table === 'loops'
          ? 'ctx_id, parent_ctx_id, name, iteration, value'
          : 'seq, ctx_id, name, vtype, value'

      await tx.run(`insert into ${table} (run_id, ${columns}) values (?, ?, ?, ?, ?, ?)`, row)
      ;(table === 'loops' ? loopRows : logRows).push(row)
      await writeColumns(tx, id, loopRows, logRows)
    })

  const logRaw = (name: string, vtype: string, value: SqlValue, at?: number): Promise<void> =>
    write('logs', [id, ++seq, at ?? null, name, vtype, value])

  return {
    id,
    loop: async (name, iteration, value = null, parent) => {
      const opened = ++ctx

      await write('loops', [id, opened, parent ?? null, name, iteration, value])

      return opened
    },
    loopAt: async (at, name, iteration, value = null, parent) => {
      await write('loops', [id, at, parent ?? null, name, iteration, value])

      return at
    },
    log: async (name, value, at) => {
      const [vtype, encoded] = encode(value)

      await logRaw(name, vtype, encoded, at)
    },
    logRaw,
  }
}

function encode(value: unknown): [string, SqlValue] {
  if (value === null || value === undefined) return ['null', null]
  if (typeof value === 'number') return ['number', Number.isFinite(value) ? value : String(value)]
  if (typeof value === 'string') return ['string', value]
  if (typeof value === 'boolean') return ['boolean', value ? 1 : 0]
  if (typeof value === 'bigint') return ['bigint', value.toString()]
  if (value instanceof Date) return ['date', value.toISOString()]

  return ['json', JSON.stringify(value)]
}
