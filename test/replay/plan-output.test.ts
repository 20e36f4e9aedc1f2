import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { stackTrace } from '../helpers/run-script.js'
import { leftIn, marks, standardRepo, statusOf, type ReplayRepo } from '../helpers/replay-repo.js'

let base: ReplayRepo
const copies: ReplayRepo[] = []

beforeAll(async () => {
  base = await standardRepo()
})

afterAll(() => {
  for (const repo of [base, ...copies]) repo?.cleanup()
})

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

/**
 * Every file under a folder with its size and modification time, but SQLite's
 * shared-memory and write-ahead files, which opening the store creates.
 */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !/-(?:shm|wal)$/.test(path))
    .map((path) => {
      const stat = statSync(join(dir, path))

      return `${path} ${stat.size} ${stat.mtimeMs}`
    })
    .sort()
}

/** Everything a replay could write: the store's files, the refs, the working tree. */
const footprint = (repo: ReplayRepo) => ({
  flordb: filesUnder(join(repo.root, '.flordb')),
  refs: repo.git('for-each-ref'),
  git: repo.gitState(),
})

describe('--dry-run', () => {
  it('prints the plan as JSON and writes nothing', async () => {
    const repo = withStatement()
    const before = footprint(repo)

    const result = await repo.cli(['replay', 'wsum', '--dry-run'], { MARKS: marksOf(repo) })
    const plan = JSON.parse(result.stdout)

    expect(statusOf(result)).toBe(0)
    expect(plan).toMatchObject({
      names: ['wsum'],
      statements: [{ name: 'wsum', file: 'train.mjs', strategy: 'outer', loops: ['epoch'] }],
      refused: [],
      skipped: [],
    })
    expect(plan.jobs.map((job: { run: { tstamp: string } }) => job.run.tstamp)).toEqual(
      repo.runs().map((run) => run.tstamp),
    )
    expect(plan.estimate.seconds).toBeGreaterThan(0)
    expect(plan.estimate.rerunSeconds).toBeGreaterThanOrEqual(plan.estimate.seconds)
    expect(footprint(repo)).toEqual(before)
    expect(marks(marksOf(repo))).toEqual([])
  })
})

describe('--emit make', () => {
  it('writes a Makefile that make -j2 runs to the same result as a replay', async () => {
    const emitted = withStatement()
    const direct = withStatement()

    const result = await emitted.cli(['replay', 'wsum', '--emit', 'make'])
    const makefile = /^wrote (.+)$/m.exec(result.stdout)?.[1]

    expect(statusOf(result)).toBe(0)
    expect(makefile).toBeDefined()
    expect(result.stdout).toContain(`make -f ${makefile} -j2`)
    expect(emitted.count('wsum')).toBe(0)

    const make = () =>
      spawnSync('make', ['-f', relative(emitted.root, makefile!), '-j2'], {
        cwd: emitted.root,
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: emitted.tmp },
      })
    const made = make()

    expect(made.stderr).toBe('')
    expect(statusOf(made)).toBe(0)
    expect(statusOf(await direct.cli(['replay', 'wsum', '--yes']))).toBe(0)
    expect(emitted.values('wsum')).toEqual(direct.values('wsum'))
    expect(Object.values(emitted.values('wsum')).map((values) => values.length)).toEqual([3, 4])

    // A scheduler that runs a job again replaces what it wrote.
    expect(statusOf(make())).toBe(0)
    expect(emitted.count('wsum')).toBe(7)
    expect(emitted.git('worktree', 'list').split('\n')).toHaveLength(1)
    expect(leftIn(emitted.tmp).filter((name) => name.startsWith('flordb-'))).toEqual([])
  })

  it('refuses a scheduler it does not know', async () => {
    const repo = withStatement()

    const result = await repo.cli(['replay', 'wsum', '--emit', 'slurm'])

    expect(result.status).toBe(2)
    expect(result.stderr).toContain('--emit takes "make", not "slurm"')
  })
})

describe('confirmation', () => {
  it('refuses to run without --yes when there is no terminal to ask', async () => {
    const repo = withStatement()
    const before = repo.count('wsum')

    const result = await repo.cli(['replay', 'wsum'], { MARKS: marksOf(repo) })

    expect(result.status).toBe(2)
    expect(result.stderr).toContain(
      'replay needs a confirmation; pass --yes to run it without asking',
    )
    expect(result.stderr).not.toMatch(stackTrace)
    expect(marks(marksOf(repo))).toEqual([])
    expect(repo.count('wsum')).toBe(before)
  })
})
