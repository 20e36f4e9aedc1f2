// Runs every benchmark in turn, each in its own process, as BENCHMARKS.md records them.
// Run: npm run bench
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const tsx = createRequire(import.meta.url).resolve('tsx/cli')
const benchmarks = [
  'log-overhead',
  'commit',
  'startup',
  'dataframe',
  'checkpoint-overhead',
  'replay-speed',
  'plan-versions',
]

for (const name of benchmarks) {
  console.log(`\n== ${name}`)

  const result = spawnSync(process.execPath, [tsx, join(here, `${name}.ts`)], { stdio: 'inherit' })

  if (result.status !== 0) process.exitCode = 1
}
