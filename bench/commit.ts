// Committing a run of 100k records (journal read, SQLite index, git snapshot) against raw
// prepared better-sqlite3 inserts of the same rows in one transaction.
// Run: npx tsx bench/commit.ts
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import Database from 'better-sqlite3'

import { migrations } from '../src/store/schema.js'
import { median, tempRepo } from './temp-repo.js'

const epochs = 100
const steps = 1_000
const records = epochs * steps
const rounds = 5

process.chdir(tempRepo())

const flor = await import('flordb')
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

function logRun(): void {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    for (const step of flor.loop('step', range(steps))) flor.log('loss', 1 / (1 + epoch * steps + step))
  }
}

// The same rows flordb's index gets: one loop context per iteration, one log per step.
function rawInserts(): number {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'flordb-raw-')), 'raw.sqlite'))

  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  for (const sql of migrations[0]!) db.exec(sql)

  const insertLoop = db.prepare(
    'insert into loops (run_id, ctx_id, parent_ctx_id, name, iteration, value) values (?, ?, ?, ?, ?, ?)',
  )
  const insertLog = db.prepare(
    'insert into logs (run_id, seq, ctx_id, name, vtype, value) values (?, ?, ?, ?, ?, ?)',
  )
  const started = performance.now()

  db.transaction(() => {
    let context = 0
    let seq = 0

    for (let epoch = 0; epoch < epochs; epoch++) {
      const parent = ++context

      insertLoop.run(1, parent, null, 'epoch', epoch + 1, epoch)

      for (let step = 0; step < steps; step++) {
        insertLoop.run(1, ++context, parent, 'step', step + 1, step)
        insertLog.run(1, seq++, context, 'loss', 'number', 1 / (1 + epoch * steps + step))
      }
    }
  })()

  const elapsed = performance.now() - started

  db.close()

  return elapsed
}

const commitMs: number[] = []
const rawMs: number[] = []

for (let round = 0; round < rounds; round++) {
  logRun()

  const started = performance.now()

  await flor.commit()
  commitMs.push(performance.now() - started)
  rawMs.push(rawInserts())
}

const ratio = median(commitMs) / median(rawMs)

console.log(`commit of ${records} records (+${records + epochs} loop contexts), median of ${rounds}`)
console.log(`  raw prepared inserts, one transaction  ${median(rawMs).toFixed(0)} ms`)
console.log(`  flor.commit() (index + git snapshot)    ${median(commitMs).toFixed(0)} ms`)
console.log(`  ratio  ${ratio.toFixed(2)}x   limit 2x   ${ratio <= 2 ? 'within' : 'OVER'}`)
