// Start-up cost: a process that imports flordb and commits an empty run, against one that
// does nothing, each started 10 times as a real process in a git repository.
// Run: npx tsx bench/startup.ts
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import { median, tempRepo } from './temp-repo.js'

const rounds = 10
const repo = tempRepo()

writeFileSync(join(repo, 'empty.mjs'), '\n')
writeFileSync(join(repo, 'import-only.mjs'), "import 'flordb'\n")
// An empty run: started (a loop over nothing opens it), no records, committed.
writeFileSync(
  join(repo, 'commit.mjs'),
  "import * as flor from 'flordb'\nfor (const _ of flor.loop('epoch', [])) void _\nawait flor.commit()\n",
)
// A run with one record: what a script that logs anything at all pays to start and finish.
writeFileSync(join(repo, 'one-record.mjs'), "import * as flor from 'flordb'\nflor.log('ready', true)\n")

function time(script: string): number {
  const samples: number[] = []

  for (let round = 0; round < rounds; round++) {
    const started = performance.now()
    const result = spawnSync(process.execPath, [script], { cwd: repo, stdio: 'inherit' })

    if (result.status !== 0) throw new Error(`${script} failed`)

    samples.push(performance.now() - started)
  }

  return median(samples)
}

const empty = time('empty.mjs')
const imported = time('import-only.mjs')
const committed = time('commit.mjs')
const oneRecord = time('one-record.mjs')

console.log(`process start-up, median of ${rounds} runs`)
console.log(`  node, empty script                      ${empty.toFixed(0)} ms`)
console.log(`  import flordb                            ${imported.toFixed(0)} ms  (+${(imported - empty).toFixed(0)} ms)`)
console.log(`  import flordb and commit an empty run    ${committed.toFixed(0)} ms  (+${(committed - empty).toFixed(0)} ms)`)
console.log(`  import flordb, log once, commit at exit  ${oneRecord.toFixed(0)} ms  (+${(oneRecord - empty).toFixed(0)} ms)`)
