// flor.log inside two nested flor.loops, 1M calls, against the same loops without flordb.
// Run: npx tsx bench/log-overhead.ts
import { performance } from 'node:perf_hooks'

import { median, tempRepo } from './temp-repo.js'

const outer = 1_000
const inner = 1_000
const calls = outer * inner
const rounds = 5

process.chdir(tempRepo())

const flor = await import('flordb')
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const steps = range(inner)
const epochs = range(outer)

function plain(): number {
  let sink = 0

  for (const epoch of epochs) {
    for (const step of steps) sink += Math.sqrt(epoch * inner + step)
  }

  return sink
}

function logged(): number {
  let sink = 0

  for (const epoch of flor.loop('epoch', epochs)) {
    for (const step of flor.loop('step', steps)) sink += flor.log('loss', Math.sqrt(epoch * inner + step))
  }

  return sink
}

function time(work: () => number): number {
  const started = performance.now()

  work()

  return performance.now() - started
}

const plainMs: number[] = []
const loggedMs: number[] = []

for (let round = 0; round < rounds; round++) {
  plainMs.push(time(plain))
  loggedMs.push(time(logged))
  await flor.commit()
}

const perCall = ((median(loggedMs) - median(plainMs)) * 1e6) / calls

console.log(`log in 2 nested loops, ${calls} calls, median of ${rounds}`)
console.log(`  without flordb  ${median(plainMs).toFixed(1)} ms`)
console.log(`  with flordb     ${median(loggedMs).toFixed(1)} ms (includes 1,001,000 loop iterations)`)
console.log(`  added per call  ${perCall.toFixed(0)} ns   limit 1000 ns   ${perCall <= 1000 ? 'within' : 'OVER'}`)
