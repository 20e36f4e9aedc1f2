// Record overhead of flordb with checkpointing, against the same loop without flordb, on a
// workload whose checkpoint is cheap relative to an iteration and one where it is expensive;
// the expensive one also without adaptivity (a checkpoint every iteration) to show the need.
// Run: npx tsx bench/checkpoint-overhead.ts
import { performance } from 'node:perf_hooks'

import { tempRepo } from './temp-repo.js'

process.chdir(tempRepo())

const flor = await import('flordb')
const epochs = 20
const stepsPerEpoch = 50
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

interface Workload {
  name: string
  /** Doubles in the checkpointed state. */
  size: number
  /** Work per step, in inner iterations of arithmetic. */
  work: number
}

const workloads: Workload[] = [
  { name: 'cheap checkpoint (8 KB state)', size: 1_000, work: 4_000_000 },
  { name: 'expensive checkpoint (96 MB state)', size: 12_000_000, work: 4_000_000 },
]

function step(state: Float64Array, index: number, work: number): number {
  let total = 0

  for (let i = 0; i < work; i++) total += Math.sqrt(i + index)

  state[index % state.length] = total

  return total
}

function plain(workload: Workload): number {
  const state = new Float64Array(workload.size)
  const started = performance.now()

  for (const epoch of range(epochs)) {
    for (const index of range(stepsPerEpoch)) step(state, epoch * stepsPerEpoch + index, workload.work)
  }

  return performance.now() - started
}

async function recorded(workload: Workload, epsilon?: number): Promise<number> {
  const state = new Float64Array(workload.size)
  const started = performance.now()

  flor.checkpointing(
    { state },
    () => {
      for (const epoch of flor.loop('epoch', range(epochs))) {
        for (const index of flor.loop('step', range(stepsPerEpoch))) {
          flor.log('loss', step(state, epoch * stepsPerEpoch + index, workload.work))
        }
      }
    },
    { epsilon },
  )

  const elapsed = performance.now() - started

  await flor.commit()

  return elapsed
}

const percent = (value: number, base: number) => ((value / base - 1) * 100).toFixed(1)
const rounds = 3
const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log(`record overhead with checkpointing, ${epochs} epochs x ${stepsPerEpoch} steps, epsilon 1/15 (6.7%), median of ${rounds}`)

for (const workload of workloads) {
  const samples: [number[], number[], number[]] = [[], [], []]

  // Interleaved, so a slower stretch of the machine falls on every variant alike.
  for (let round = 0; round < rounds; round++) {
    samples[0].push(plain(workload))
    samples[1].push(await recorded(workload))
    samples[2].push(await recorded(workload, Number.POSITIVE_INFINITY))
  }

  const [base, adaptive, always] = samples.map(middle) as [number, number, number]
  const overhead = Number(percent(adaptive, base))
  const limit = workload.size > 100_000 ? 100 / 15 : 2

  console.log(`  ${workload.name}`)
  console.log(`    without flordb                         ${base.toFixed(0)} ms`)
  console.log(`    flordb, adaptive checkpoints           ${adaptive.toFixed(0)} ms  +${overhead}%   limit ${limit.toFixed(1)}%   ${overhead <= limit ? 'within' : 'OVER'}`)
  console.log(`    flordb, a checkpoint every iteration   ${always.toFixed(0)} ms  +${percent(always, base)}%`)
}
