// Hindsight replay against re-running the script, on a workload whose nested loop dominates:
// a statement in the outer loop's body (restores nested loops from checkpoints), and one in
// the nested loop with 1 and with 2 workers.
// Run: npx tsx bench/replay-speed.ts
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import { packageRoot, tempRepo } from './temp-repo.js'

const repo = tempRepo('replay-speed')
const script = join(repo, 'train.mjs')

copyFileSync(join(packageRoot, 'bench/fixtures/heavy-train.mjs'), script)
spawnSync('git', ['add', '.'], { cwd: repo })
spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'train'], { cwd: repo })

const started = performance.now()
const run = spawnSync(process.execPath, [script], { cwd: repo, stdio: 'inherit' })
const rerunSeconds = (performance.now() - started) / 1000

if (run.status !== 0) throw new Error('the training script failed')

// The statements nobody wrote at the time: one per epoch, two per step (one for each pool size).
writeFileSync(
  script,
  readFileSync(script, 'utf8')
    .replace("flor.log('acc', 1 - Math.abs(state.loss))", "flor.log('acc', 1 - Math.abs(state.loss))\n    flor.log('weight_sum', state.weights.reduce((a, b) => a + b, 0))")
    .replace("flor.log('loss', state.loss)", "flor.log('loss', state.loss)\n      flor.log('loss_x1', state.loss)\n      flor.log('loss_x2', state.loss)"),
)

process.chdir(repo)

const flor = await import('flordb')

async function timeReplay(name: string, workers: number): Promise<{ seconds: number; strategy: string; jobs: number }> {
  const begun = performance.now()
  const outcome = await flor.replay([name], { workers, confirm: () => true })
  const failed = outcome.results.find((result) => !result.ok)

  if (failed) throw new Error(`replay of ${name} failed: ${failed.error}`)

  for (const result of outcome.results) {
    if (result.fidelity?.diverged) throw new Error(`replay of ${name} was not faithful: ${JSON.stringify(result.fidelity.first)}`)
  }

  return {
    seconds: (performance.now() - begun) / 1000,
    strategy: outcome.plan.jobs[0]?.strategy ?? 'none',
    jobs: outcome.plan.jobs.length,
  }
}

const outer = await timeReplay('weight_sum', 2)
const one = await timeReplay('loss_x1', 1)
const two = await timeReplay('loss_x2', 2)
const speedup = rerunSeconds / outer.seconds
const ratio = two.seconds / one.seconds

console.log('replay against re-running (10 epochs x 100 steps, the step loop dominates)')
console.log(`  re-running the script                   ${rerunSeconds.toFixed(2)} s`)
console.log(`  replay of an outer-loop statement       ${outer.seconds.toFixed(2)} s (${outer.strategy})  ${speedup.toFixed(1)}x faster   target >= 10x   ${speedup >= 10 ? 'met' : 'MISSED'}`)
console.log(`  replay of a nested-loop statement, 1 worker   ${one.seconds.toFixed(2)} s (${one.jobs} job)`)
console.log(`  replay of a nested-loop statement, 2 workers  ${two.seconds.toFixed(2)} s (${two.jobs} jobs)  ${ratio.toFixed(2)}x of 1 worker   target <= 0.55x   ${ratio <= 0.55 ? 'met' : 'MISSED'}`)
