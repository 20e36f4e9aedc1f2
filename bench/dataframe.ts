import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import type { Backend, SqlValue } from '../src/store/backend.js'
import { openBackend } from '../src/store/open-backend.js'
import { buildDataframe } from '../src/frame/dataframe.js'
import { writeColumns } from '../src/frame/write-columns.js'

const runs = 10
const epochs = 100
const steps = 1000
const limitMs = 1000

/**
 * 10 runs × 100 epochs × 1000 steps: one `loss` per step, `acc` and `recall` per epoch,
 * with the column rows ingestion writes beside them.
 */
async function fillBenchStore(backend: Backend): Promise<number> {
  let records = 0

  await backend.transaction(async (tx) => {
    const runRows: SqlValue[][] = []
    const loopRows: SqlValue[][] = []
    const logRows: SqlValue[][] = []

    for (let run = 1; run <= runs; run++) {
      const tstamp = new Date(Date.UTC(2024, 3, 11, 9, run)).toISOString()
      let ctx = 0
      let seq = 0

      runRows.push([run, 'bench', tstamp, 'train.ts', '[]', '{}', 'ok', tstamp])
      logRows.push([run, ++seq, null, 'lr', 'number', 0.001])
      logRows.push([run, ++seq, null, 'epochs', 'number', epochs])

      for (let epoch = 0; epoch < epochs; epoch++) {
        const epochCtx = ++ctx

        loopRows.push([run, epochCtx, null, 'epoch', epoch + 1, epoch])

        for (let step = 0; step < steps; step++) {
          const stepCtx = ++ctx

          loopRows.push([run, stepCtx, epochCtx, 'step', step + 1, step])
          logRows.push([run, ++seq, stepCtx, 'loss', 'number', 1 / (1 + epoch + step / steps)])
        }

        logRows.push([run, ++seq, epochCtx, 'acc', 'number', epoch / epochs])
        logRows.push([run, ++seq, epochCtx, 'recall', 'number', epoch / (2 * epochs)])
      }
    }

    records = logRows.length
    await tx.insertMany(
      `insert into runs (run_id, projid, tstamp, filename, argv, runtime, status, started_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      runRows,
    )
    await tx.insertMany(
      'insert into loops (run_id, ctx_id, parent_ctx_id, name, iteration, value) values (?, ?, ?, ?, ?, ?)',
      loopRows,
    )
    await tx.insertMany(
      'insert into logs (run_id, seq, ctx_id, name, vtype, value) values (?, ?, ?, ?, ?, ?)',
      logRows,
    )

    for (let run = 1; run <= runs; run++) {
      const ofRun = (row: readonly SqlValue[]) => row[0] === run

      await writeColumns(tx, run, loopRows.filter(ofRun), logRows.filter(ofRun))
    }
  })

  return records
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flordb-bench-'))
  const backend = await openBackend(dir)

  try {
    const started = performance.now()
    const records = await fillBenchStore(backend)

    console.log(`filled ${records} log records in ${Math.round(performance.now() - started)} ms`)

    const walls: number[] = []
    const cpus: number[] = []
    let shape = ''

    // The first build also warms the page cache and the JIT; all three count.
    for (let i = 0; i < 3; i++) {
      const cpu = process.cpuUsage()
      const start = performance.now()
      const frame = await buildDataframe(backend, ['loss', 'acc', 'recall', 'lr'])
      const used = process.cpuUsage(cpu)

      walls.push(performance.now() - start)
      cpus.push((used.user + used.system) / 1000)
      shape = `${frame.height} rows × ${frame.width} columns`
    }

    const wall = median(walls)
    const verdict = wall <= limitMs ? 'within' : 'OVER'

    // On a shared machine wall time swings with other work; CPU time swings less.
    console.log(`buildDataframe: ${shape}`)
    console.log(`wall: ${walls.map(ms).join(', ')}; cpu: ${cpus.map(ms).join(', ')}`)
    console.log(
      `median ${ms(wall)} wall (${ms(median(cpus))} cpu), ${verdict} the ${limitMs} ms limit`,
    )
    console.log(`load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`)
  } finally {
    await backend.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

const ms = (value: number): string => `${Math.round(value)} ms`

await main()
