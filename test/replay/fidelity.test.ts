import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { edited, recordedRepo, statusOf, type ReplayRepo } from '../helpers/replay-repo.js'

// A random walk whose generator is seeded and checkpointed with the model. A
// replay recomputes the 9 losses and the 2 args, and compares them.
const seeded = `import * as flor from 'flordb'

const epochs = flor.arg('epochs', 3)
const rng = { state: flor.arg('seed', 7) }
const random = () => (rng.state = (rng.state * 16807) % 2147483647) / 2147483647
const model = { w: 0 }
const range = (n) => Array.from({ length: n }, (_, i) => i)

flor.checkpointing({ model, rng }, () => {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    for (const step of flor.loop('step', range(3))) {
      model.w += random() - 0.5
      flor.log('loss', model.w ** 2)
    }
  }
})
`

// The same walk on Math.random(), whose state no checkpoint holds.
const unseeded = edited(seeded, [
  ['      model.w += random() - 0.5', '      model.w += Math.random() - 0.5'],
  ['flor.checkpointing({ model, rng }', 'flor.checkpointing({ model }'],
])

const probe = [
  ["      flor.log('loss'", "      flor.log('probe', model.w)\n      flor.log('loss'"],
] as const

describe('the fidelity check', () => {
  let repo: ReplayRepo
  let result: Awaited<ReturnType<ReplayRepo['cli']>>
  let runs: Record<string, string>

  beforeAll(async () => {
    repo = await recordedRepo([
      {
        files: { 'seeded.mjs': seeded, 'unseeded.mjs': unseeded },
        runs: [
          { script: 'seeded.mjs', kwargs: [] },
          { script: 'unseeded.mjs', kwargs: [] },
        ],
      },
    ])
    runs = Object.fromEntries(
      repo
        .query<{ filename: string; tstamp: string }>('select filename, tstamp from runs')
        .map((run) => [run.filename, run.tstamp]),
    )
    repo.edit('seeded.mjs', probe)
    repo.edit('unseeded.mjs', probe)

    result = await repo.cli(['replay', 'probe', '--yes', '--jobs', '2'])
  })

  afterAll(() => repo?.cleanup())

  const lineOf = (file: string) =>
    result.stdout.split('\n').find((line) => line.includes(runs[file]!)) ?? ''

  it('reports an unseeded script as not faithful, with the first differing position', () => {
    const recorded = repo.values('loss')[runs['unseeded.mjs']!]![0]

    expect(statusOf(result)).toBe(0)
    expect(lineOf('unseeded.mjs')).toMatch(
      /^ok .*NOT FAITHFUL: 9 of 11 recomputed value\(s\) differ; first at epoch 1 \/ step 1: loss was ([\d.e-]+), replay got ([\d.e-]+)$/,
    )
    expect(lineOf('unseeded.mjs')).toContain(`loss was ${JSON.stringify(recorded)},`)
  })

  it('reports a seeded script whose state is checkpointed as faithful', () => {
    expect(lineOf('seeded.mjs')).toMatch(/^ok .*faithful: 11 recomputed value\(s\) match$/)
  })

  it('still writes the replayed values of both', () => {
    expect(repo.count('probe')).toBe(18)
  })
})
