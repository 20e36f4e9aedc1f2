// Planning a replay over 50 recorded versions: the time before the confirmation prompt.
// Run: npx tsx bench/plan-versions.ts
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import { packageRoot, tempRepo } from './temp-repo.js'

const versions = 50
const repo = tempRepo('plan-versions')
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: repo })

// Each version changes the script a little more: constants, a renamed variable, extra steps.
function script(version: number, extra = ''): string {
  const loss = version % 3 === 0 ? 'lossValue' : 'loss'
  const helpers = Array.from({ length: version % 7 }, (_, i) => `const unused${i} = ${i} * ${version}`).join('\n')

  return `import * as flor from 'flordb'

const lr = flor.arg('lr', ${(version / 1000).toFixed(3)})
const hidden = ${16 + version}
${helpers}
const state = { w: [0, 0, 0] }

flor.checkpointing({ state }, () => {
  for (const epoch of flor.loop('epoch', [1, 2, 3])) {
    for (const step of flor.loop('step', [1, 2])) {
      const ${loss} = lr * hidden / (epoch * step)
      state.w[step] += ${loss}
      flor.log('loss', ${loss})
    }
    flor.log('acc', state.w[1] / hidden)${extra}
  }
})
`
}

for (let version = 1; version <= versions; version++) {
  writeFileSync(join(repo, 'train.mjs'), script(version))
  git('add', '.')
  git('commit', '-qm', `version ${version}`)

  const run = spawnSync(process.execPath, ['train.mjs'], { cwd: repo, stdio: 'inherit' })

  if (run.status !== 0) throw new Error(`version ${version} failed`)
}

writeFileSync(join(repo, 'train.mjs'), script(versions, "\n    flor.log('w_sum', state.w[1] + state.w[2])"))

const cli = join(packageRoot, 'dist/cli/main.js')
const started = performance.now()
const dryRun = spawnSync(process.execPath, [cli, 'replay', 'w_sum', '--dry-run'], { cwd: repo, encoding: 'utf8' })
const cliSeconds = (performance.now() - started) / 1000

if (dryRun.status !== 0) throw new Error(dryRun.stderr)

const plan = JSON.parse(dryRun.stdout) as { jobs: unknown[]; refused: unknown[] }

process.chdir(repo)

// In one process: the compiler loaded once, then the planning itself.
const { planReplay } = await import('../src/replay/plan-replay.js')
const { openStore } = await import('../src/read/open-store.js')
const { getLocation } = await import('../src/record/session.js')
const store = await openStore(getLocation())
const begun = performance.now()
const again = await planReplay(store, getLocation(), ['w_sum'])
const planSeconds = (performance.now() - begun) / 1000

console.log(`planning a replay over ${versions} recorded versions (${again.jobs.length} jobs, ${again.refused.length} refused)`)
console.log(`  planReplay, compiler loaded                  ${planSeconds.toFixed(2)} s   target < 1 s   ${planSeconds < 1 ? 'met' : 'MISSED'}`)
console.log(`  flordb replay --dry-run, whole process       ${cliSeconds.toFixed(2)} s   (${plan.jobs.length} jobs)`)
