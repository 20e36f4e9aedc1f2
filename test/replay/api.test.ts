import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  edited,
  recordedRepo,
  trainV1,
  trainV2,
  v1Args,
  v2Args,
  type ReplayRepo,
} from '../helpers/replay-repo.js'

// The training script in TypeScript, run with tsx: replays start the recorded runtime.
const typed = (source: string) =>
  edited(source, [
    ['const mark = (text) =>', 'const mark = (text: string) =>'],
    ['const range = (n) =>', 'const range = (n: number): number[] =>'],
  ])

const hindsight = `import * as flor from 'flordb'

let asked = 0
const declined = await flor.replay(['wsum'], {
  confirm: (plan) => {
    asked = plan.jobs.length

    return false
  },
})
const dry = await flor.replay(['wsum'], { dryRun: true })
const outcome = await flor.replay(['wsum'], { workers: 2 })

console.log(
  JSON.stringify({
    declined: { asked, ran: declined.ran, results: declined.results.length, frame: declined.frame },
    dry: { ran: dry.ran, jobs: dry.plan.jobs.length, frame: dry.frame },
    ran: outcome.ran,
    statements: outcome.plan.statements,
    results: outcome.results.map((result) => ({
      ok: result.ok,
      tstamp: result.job.run.tstamp,
      records: result.records,
      faithful: result.fidelity !== undefined && result.fidelity.diverged === 0,
    })),
    columns: outcome.frame?.columns,
    rows: outcome.frame?.select('epoch', 'wsum').toRecords(),
  }),
)
`

interface Report {
  declined: { asked: number; ran: boolean; results: number; frame?: unknown }
  dry: { ran: boolean; jobs: number; frame?: unknown }
  ran: boolean
  statements: { name: string; file: string; line: number; strategy: string }[]
  results: { ok: boolean; tstamp: string; records: number; faithful: boolean }[]
  columns: string[]
  rows: { epoch: number; wsum: number }[]
}

describe('flor.replay', () => {
  let repo: ReplayRepo
  let report: Report
  let wsumBefore: number

  beforeAll(async () => {
    repo = await recordedRepo([
      { files: { 'train.ts': typed(trainV1) }, runs: [{ script: 'train.ts', kwargs: v1Args }] },
      { files: { 'train.ts': typed(trainV2) }, runs: [{ script: 'train.ts', kwargs: v2Args }] },
    ])
    repo.edit('train.ts', [
      [
        '    model.history.push',
        "    flor.log('wsum', model.w[0] + model.w[1])\n    model.history.push",
      ],
    ])
    repo.write('hindsight.ts', hindsight)
    wsumBefore = repo.count('wsum')

    report = JSON.parse((await repo.run('hindsight.ts', [])).stdout) as Report
  }, 120_000)

  afterAll(() => repo?.cleanup())

  it('asks with the plan, and runs nothing when the answer is no', () => {
    expect(report.declined).toEqual({ asked: 2, ran: false, results: 0 })
    expect(report.dry).toEqual({ ran: false, jobs: 2 })
    expect(wsumBefore).toBe(0)
  })

  it('returns the plan and a result for each replayed run', () => {
    const tstamps = repo.runs().map((run) => run.tstamp)

    expect(report.ran).toBe(true)
    expect(report.statements).toMatchObject([{ name: 'wsum', file: 'train.ts', strategy: 'outer' }])
    expect(report.results.map((result) => result.tstamp).sort()).toEqual(tstamps)
    expect(report.results.every((result) => result.ok && result.faithful)).toBe(true)
    expect(report.results.map((result) => result.records).sort()).toEqual([3, 4])
  })

  it('returns the dataframe with the new column filled for every epoch of every run', () => {
    expect(report.columns).toEqual(['projid', 'tstamp', 'filename', 'epoch', 'epoch_value', 'wsum'])
    expect(report.rows.map((row) => row.epoch)).toEqual([1, 2, 3, 1, 2, 3, 4])
    expect(report.rows.map((row) => row.wsum)).toEqual(Object.values(repo.values('wsum')).flat())
    expect(report.rows.every((row) => typeof row.wsum === 'number')).toBe(true)
  })
})
