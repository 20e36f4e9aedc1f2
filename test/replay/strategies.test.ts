import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  marks,
  standardRepo,
  v1Args,
  v2Args,
  statusOf,
  type ReplayRepo,
} from '../helpers/replay-repo.js'

interface Outcome {
  plan: {
    statements: { name: string; strategy: string; loops: string[] }[]
    jobs: {
      id: string
      strategy: string
      run: { tstamp: string }
      iterations?: number[]
      restoreFrom?: number
      keepPrefix: boolean
    }[]
    refused: unknown[]
  }
  results: { ok: boolean; error?: string; fidelity?: { compared: number; diverged: number } }[]
}

let base: ReplayRepo
const copies: ReplayRepo[] = []

beforeAll(async () => {
  base = await standardRepo()
})

afterAll(() => {
  for (const repo of [base, ...copies]) repo?.cleanup()
})

/** A copy of the recorded repository with `changes` made to the working tree's train.mjs. */
function withStatement(changes: readonly (readonly [string, string])[]): ReplayRepo {
  const repo = base.copy()

  copies.push(repo)
  repo.edit('train.mjs', changes)

  return repo
}

async function replay(
  repo: ReplayRepo,
  ...args: string[]
): Promise<{ outcome: Outcome; marks: string[] }> {
  const file = join(repo.root, '..', 'marks.txt')
  const result = await repo.cli(['replay', ...args, '--yes', '--format', 'json'], { MARKS: file })

  expect(result.stderr).not.toMatch(/FAILED|Error/)
  expect(statusOf(result)).toBe(0)

  const outcome = JSON.parse(result.stdout) as Outcome

  expect(outcome.results.map((r) => r.ok)).toEqual(outcome.plan.jobs.map(() => true))

  return { outcome, marks: marks(file) }
}

/** The values a full run of the current code logs with the same arguments: what replay must match. */
async function fullRun(
  repo: ReplayRepo,
  kwargs: readonly string[],
  name: string,
): Promise<unknown[]> {
  const before = new Set(repo.runs().map((run) => run.tstamp))

  await repo.run('train.mjs', kwargs)

  const fresh = repo.runs().find((run) => !before.has(run.tstamp))!

  return repo.values(name)[fresh.tstamp]!
}

const [v1, v2] = [0, 1]

describe('a statement before the main loop', () => {
  it('runs only the prefix of each version', async () => {
    const repo = withStatement([
      ["mark('prefix')\n", "mark('prefix')\nflor.log('start', lr * model.w[1])\n"],
    ])
    const runs = repo.runs()

    const { outcome, marks } = await replay(repo, 'start')

    expect(outcome.plan.statements).toMatchObject([{ name: 'start', strategy: 'prefix' }])
    expect(outcome.plan.jobs.map((job) => job.strategy)).toEqual(['prefix', 'prefix'])
    expect(marks).toEqual(['prefix', 'prefix'])
    expect(repo.values('start')).toEqual({
      [runs[v1]!.tstamp]: [0.05 * 2],
      [runs[v2]!.tstamp]: [0.2 * 2],
    })
  })
})

describe('a statement in the outer loop body', () => {
  it('restores nested loops from checkpoints instead of running them', async () => {
    const repo = withStatement([
      [
        '    model.history.push',
        "    flor.log('wsum', model.w[0] + model.w[1])\n    model.history.push",
      ],
    ])
    const runs = repo.runs()

    const { outcome, marks } = await replay(repo, 'wsum')

    expect(outcome.plan.statements).toMatchObject([
      { name: 'wsum', strategy: 'outer', loops: ['epoch'] },
    ])
    expect(outcome.plan.jobs.map((job) => job.strategy)).toEqual(['outer', 'outer'])
    expect(marks.filter((line) => line.startsWith('step'))).toEqual([])
    expect(marks.filter((line) => line.startsWith('epoch')).sort()).toEqual([
      'epoch 0',
      'epoch 0',
      'epoch 1',
      'epoch 1',
      'epoch 2',
      'epoch 2',
      'epoch 3',
    ])

    const replayed = repo.values('wsum')

    expect(replayed[runs[v1]!.tstamp]).toHaveLength(3)
    expect(replayed[runs[v2]!.tstamp]).toHaveLength(4)
    expect(replayed[runs[v1]!.tstamp]).toEqual(await fullRun(repo, v1Args, 'wsum'))
    expect(replayed[runs[v2]!.tstamp]).toEqual(await fullRun(repo, v2Args, 'wsum'))
  })
})

describe('a statement inside a nested loop', () => {
  const nested = [
    ['      model.seen++\n', "      model.seen++\n      flor.log('w1', model.w[1])\n"],
  ] as const

  it('re-executes every iteration and logs what a full run logs', async () => {
    const repo = withStatement(nested)
    const runs = repo.runs()

    const { outcome, marks } = await replay(repo, 'w1', '--jobs', '2')

    expect(outcome.plan.statements).toMatchObject([
      { strategy: 'nested', loops: ['epoch', 'step'] },
    ])
    expect(marks.filter((line) => line.startsWith('step'))).toHaveLength(3 * 4 + 4 * 4)

    const replayed = repo.values('w1')

    expect(replayed[runs[v1]!.tstamp]).toHaveLength(12)
    expect(replayed[runs[v1]!.tstamp]).toEqual(await fullRun(repo, v1Args, 'w1'))
    expect(replayed[runs[v2]!.tstamp]).toEqual(await fullRun(repo, v2Args, 'w1'))
  })

  describe('with more workers than runs', () => {
    let repo: ReplayRepo
    let replayed: Awaited<ReturnType<typeof replay>>

    beforeAll(async () => {
      repo = withStatement(nested)
      replayed = await replay(repo, 'w1', '--jobs', '2', '--where', 'lr > 0.1')
    })

    it('splits a run into segments that start from checkpoints', () => {
      const run = repo.runs()[v2]!
      const { outcome, marks } = replayed
      const jobs = outcome.plan.jobs

      expect(jobs).toHaveLength(2)
      expect(jobs.every((job) => job.run.tstamp === run.tstamp)).toBe(true)
      expect(jobs.flatMap((job) => job.iterations)).toEqual([1, 2, 3, 4])

      const later = jobs.find((job) => job.restoreFrom! > 0)!

      expect(later.keepPrefix).toBe(false)
      expect(later.iterations![0]).toBe(later.restoreFrom! + 1)
      // Each epoch ran once in all: the later segment began from the saved state, not from the start.
      expect(marks.filter((line) => line.startsWith('epoch')).sort()).toEqual([
        'epoch 0',
        'epoch 1',
        'epoch 2',
        'epoch 3',
      ])
      expect(marks.filter((line) => line === 'prefix')).toHaveLength(2)
    })

    // Segments finish, and are stored, in any order; the loop position orders them.
    it('keeps the values of every segment, equal to a full run', async () => {
      const run = repo.runs()[v2]!
      const stored = repo.query<{ value: number }>(
        `select l.value from logs l join runs r using (run_id)
         where l.name = 'w1' and r.tstamp = ? order by l.ctx_id, l.seq`,
        run.tstamp,
      )

      expect(stored.map((row) => row.value)).toEqual(await fullRun(repo, v2Args, 'w1'))
    })
  })
})

describe('a statement after the main loop', () => {
  it('restores the final state and runs only the prefix and the suffix', async () => {
    const repo = withStatement([
      ["mark('suffix')\n", "mark('suffix')\nflor.log('seen', model.seen * lr)\n"],
    ])
    const runs = repo.runs()

    const { outcome, marks } = await replay(repo, 'seen')

    expect(outcome.plan.statements).toMatchObject([{ name: 'seen', strategy: 'suffix' }])
    expect(outcome.plan.jobs.map((job) => job.strategy)).toEqual(['suffix', 'suffix'])
    expect(marks.sort()).toEqual(['prefix', 'prefix', 'suffix', 'suffix'])
    expect(repo.values('seen')).toEqual({
      [runs[v1]!.tstamp]: [12 * 0.05],
      [runs[v2]!.tstamp]: [16 * 0.2],
    })
  })
})
