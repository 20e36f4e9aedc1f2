import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { stackTrace } from '../helpers/run-script.js'
import { leftIn, marks, standardRepo, statusOf, type ReplayRepo } from '../helpers/replay-repo.js'

interface Plan {
  jobs: { run: { tstamp: string; version: string } }[]
  refused: { tstamp: string; version: string; name: string; reason: string }[]
}

let base: ReplayRepo
const copies: ReplayRepo[] = []

beforeAll(async () => {
  base = await standardRepo()
})

afterAll(() => {
  for (const repo of [base, ...copies]) repo?.cleanup()
})

function copy(): ReplayRepo {
  const repo = base.copy()

  copies.push(repo)

  return repo
}

// Version 1's model has no history: the statement reads it, and throws there.
const readsHistory = [
  [
    '    model.history.push(model.w[0])\n',
    "    model.history.push(model.w[0])\n    flor.log('recent', model.history.at(-1))\n",
  ],
] as const

// `rate` exists only in version 2: version 1 has nowhere to put the statement.
const readsRate = [
  [
    '    const rate = lr / (1 + decay * epoch)\n',
    "    const rate = lr / (1 + decay * epoch)\n    flor.log('rate', rate)\n",
  ],
] as const

describe('a version that fails when replayed', () => {
  let repo: ReplayRepo
  let before: ReturnType<ReplayRepo['gitState']>
  let result: Awaited<ReturnType<ReplayRepo['cli']>>
  let v1: string
  let v2: string

  beforeAll(async () => {
    repo = copy()
    ;[v1, v2] = repo.runs().map((run) => run.tstamp) as [string, string]

    // The user's own unfinished work: a stash, a staged file, an untracked one.
    writeFileSync(join(repo.root, 'notes.md'), 'stashed idea\n')
    repo.git('add', 'notes.md')
    repo.git('stash', 'push', '--quiet', '-m', 'an idea')
    writeFileSync(join(repo.root, 'notes.md'), 'staged\n')
    repo.git('add', 'notes.md')
    writeFileSync(join(repo.root, 'scratch.txt'), 'untracked\n')
    repo.edit('train.mjs', readsHistory)
    before = repo.gitState()

    result = await repo.cli(['replay', 'recent', '--yes'])
  })

  it('reports the failing version with its error output and exits with 7', () => {
    expect(result.status).toBe(7)
    expect(result.stdout).toContain(`FAILED ${v1}`)
    expect(result.stdout).toMatch(/TypeError: Cannot read properties of undefined \(reading 'at'\)/)
    expect(result.stdout).toMatch(/^ +train\.mjs:\d+$/m)
    expect(result.stdout).not.toContain(repo.tmp)
    expect(result.stdout).toMatch(new RegExp(`ok +${v2.replaceAll('.', '\\.')}`))
    expect(result.stdout).toContain('1 of 2 job(s) done')
  })

  it('fills in the other version and writes nothing for the failed one', () => {
    const values = repo.values('recent')

    expect(Object.keys(values)).toEqual([v2])
    expect(values[v2]).toHaveLength(4)
  })

  it('plans only the failed version when asked again', async () => {
    const again = await repo.cli(['replay', 'recent', '--dry-run'])
    const plan = JSON.parse(again.stdout) as Plan

    expect(plan.jobs.map((job) => job.run.tstamp)).toEqual([v1])
  })

  it('leaves the branch, HEAD, index, status and stashes as they were', () => {
    expect(repo.gitState()).toEqual(before)
    expect(repo.git('stash', 'list')).toContain('an idea')
  })

  it('leaves no worktree and no temporary folder behind', () => {
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1)
    expect(leftIn(join(repo.root, '.git', 'worktrees'))).toEqual([])
    expect(leftIn(repo.tmp).filter((name) => name.startsWith('flordb-'))).toEqual([])
    expect(readdirSync(join(repo.root, '.flordb')).sort()).not.toContain('replay')
  })
})

describe('a statement that cannot be placed in a version', () => {
  let repo: ReplayRepo
  let v1: string
  let v2: string

  beforeAll(() => {
    repo = copy()
    ;[v1, v2] = repo.runs().map((run) => run.tstamp) as [string, string]
    repo.edit('train.mjs', readsRate)
  })

  it('is refused for that version, with the reason, and planned for the others', async () => {
    const result = await repo.cli(['replay', 'rate', '--dry-run'])
    const plan = JSON.parse(result.stdout) as Plan

    expect(statusOf(result)).toBe(0)
    expect(plan.jobs.map((job) => job.run.tstamp)).toEqual([v2])
    expect(plan.refused).toMatchObject([{ tstamp: v1, name: 'rate' }])
    expect(plan.refused[0]!.reason).toContain('rate')
  })

  it('replays the other versions and inserts nothing into the refused one', async () => {
    const file = join(repo.root, '..', 'marks.txt')

    const result = await repo.cli(['replay', 'rate', '--yes'], { MARKS: file })

    expect(statusOf(result)).toBe(0)
    expect(result.stderr).toContain(`refused rate for ${v1}`)
    expect(result.stderr).not.toMatch(stackTrace)
    expect(repo.values('rate')).toEqual({ [v2]: [0.2, 0.2 / 1.5, 0.2 / 2, 0.2 / 2.5] })
    expect(marks(file).filter((line) => line === 'prefix')).toHaveLength(1)
  })

  it('says so and runs nothing when no version can take it', async () => {
    const repo = copy()

    repo.edit('train.mjs', readsRate)

    const result = await repo.cli(['replay', 'rate', '--yes', '--where', 'lr < 0.1'])

    expect(statusOf(result)).toBe(0)
    expect(result.stdout.trim()).toBe('nothing to replay')
    expect(result.stderr).toContain(`refused rate for ${v1}`)
    expect(repo.count('rate')).toBe(0)
    expect(existsSync(join(repo.root, '.flordb', 'replay'))).toBe(false)
  })
})
