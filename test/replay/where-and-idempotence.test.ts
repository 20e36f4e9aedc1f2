import { rmSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { stackTrace } from '../helpers/run-script.js'
import { marks, standardRepo, statusOf, type ReplayRepo } from '../helpers/replay-repo.js'

let base: ReplayRepo
const copies: ReplayRepo[] = []
let v1: string
let v2: string

beforeAll(async () => {
  base = await standardRepo()
  ;[v1, v2] = base.runs().map((run) => run.tstamp) as [string, string]
})

afterAll(() => {
  for (const repo of [base, ...copies]) repo?.cleanup()
})

// A statement in the epoch loop's body, after the nested loop.
function withStatement(): ReplayRepo {
  const repo = base.copy()

  copies.push(repo)
  repo.edit('train.mjs', [
    [
      '    model.history.push',
      "    flor.log('wsum', model.w[0] + model.w[1])\n    model.history.push",
    ],
  ])

  return repo
}

const marksOf = (repo: ReplayRepo) => join(repo.root, '..', 'marks.txt')

describe('--where', () => {
  let repo: ReplayRepo

  beforeAll(() => {
    repo = withStatement()
  })

  it.each([
    ['lr > 0.1', () => [v2]],
    ["filename = 'train.mjs' and not lr > 0.1", () => [v1]],
    ['(lr > 1 or epochs >= 4) and decay != 0', () => [v2]],
    ['lr > -1 and lr < 1E-1', () => [v1]],
  ])('plans "%s" over the matching runs only', async (condition, expected) => {
    const result = await repo.cli(['replay', 'wsum', '--dry-run', '--where', condition])
    const plan = JSON.parse(result.stdout) as { jobs: { run: { tstamp: string } }[] }

    expect(statusOf(result)).toBe(0)
    expect(plan.jobs.map((job) => job.run.tstamp)).toEqual(expected())
  })

  it('finds nothing to replay when no run matches, and says so', async () => {
    const result = await repo.cli(['replay', 'wsum', '--yes', '--where', 'lr > 5'])

    expect(statusOf(result)).toBe(0)
    expect(result.stdout.trim()).toBe('nothing to replay')
    expect(result.stderr).toContain('0 job(s) over 0 run(s)')
  })

  it('replays only the matching runs', async () => {
    const result = await repo.cli(['replay', 'wsum', '--yes', '--where', 'lr > 0.1'], {
      MARKS: marksOf(repo),
    })

    expect(statusOf(result)).toBe(0)
    expect(Object.keys(repo.values('wsum'))).toEqual([v2])
    expect(marks(marksOf(repo)).filter((line) => line === 'prefix')).toHaveLength(1)
  })
})

describe('a --where that cannot be compiled', () => {
  let repo: ReplayRepo

  beforeAll(() => {
    repo = withStatement()
  })

  it.each([
    ['lrr > 0.1', /"lrr" is not a run-level value; known: decay, epochs, final, lr, steps/],
    ['lr > 0.1; drop table runs', /cannot read "; drop table runs"/],
    ['lr > 0.1 -- comment', /cannot read "-- comment"/],
    ['lr > (select max(lr) from logs)', /expected a name or a value/],
  ])('refuses "%s" with exit code 2 and runs nothing', async (condition, message) => {
    const logs = repo.query<{ n: number }>('select count(*) as n from logs')[0]!.n

    const result = await repo.cli(['replay', 'wsum', '--yes', '--where', condition], {
      MARKS: marksOf(repo),
    })

    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(stackTrace)
    expect(result.stdout).toBe('')
    expect(marks(marksOf(repo))).toEqual([])
    expect(repo.query<{ n: number }>('select count(*) as n from logs')[0]!.n).toBe(logs)
  })
})

describe('replaying twice', () => {
  it('writes nothing twice, and the second replay reports nothing to replay', async () => {
    const repo = withStatement()
    const counts = () =>
      repo.query<{ logs: number; loops: number; runs: number }>(
        `select (select count(*) from logs) as logs, (select count(*) from loops) as loops,
           (select count(*) from runs) as runs`,
      )[0]
    const before = counts()!

    const first = await repo.cli(['replay', 'wsum', '--yes'])
    const after = counts()!

    expect(statusOf(first)).toBe(0)
    expect(repo.count('wsum')).toBe(3 + 4)
    expect(after).toEqual({ ...before, logs: before.logs + 7 })

    const second = await repo.cli(['replay', 'wsum', '--yes'], { MARKS: marksOf(repo) })

    expect(statusOf(second)).toBe(0)
    expect(second.stdout.trim()).toBe('nothing to replay')
    expect(second.stderr).toContain('0 job(s) over 0 run(s)')
    expect(marks(marksOf(repo))).toEqual([])
    expect(counts()).toEqual(after)
  })
})

describe('replayed values in git', () => {
  it('come back with flordb unpack after the store is gone', async () => {
    const repo = withStatement()

    expect(statusOf(await repo.cli(['replay', 'wsum', '--yes']))).toBe(0)

    const replayed = repo.values('wsum')

    rmSync(join(repo.root, '.flordb'), { recursive: true, force: true })

    expect(statusOf(await repo.cli(['unpack']))).toBe(0)
    expect(repo.values('wsum')).toEqual(replayed)
    expect(repo.count('wsum')).toBe(3 + 4)
  })
})
