import { chownSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTempRepo, type TempRepo } from '../helpers/git-repo.js'
import {
  flordbCli,
  flordbCliWith,
  linkPackage,
  packageRoot,
  project,
  runScript,
  stackTrace,
} from '../helpers/run-script.js'

const version = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version

// One recorded project that every read-only test here shares.
let repo: TempRepo
let tstamp: string

beforeAll(async () => {
  repo = await createTempRepo({ commit: true })
  linkPackage(repo.root)

  const run = await runScript(
    repo.root,
    'train.mjs',
    `import * as flor from 'flordb'

    const lr = flor.arg('lr', 0.5)
    for (const epoch of flor.loop('epoch', [1, 2])) flor.log('loss', lr / epoch)
    flor.log('note', 'done, "quoted"')
    `,
  )

  if (run.status !== 0) throw new Error(run.stderr)

  tstamp = JSON.parse((await flordbCli(repo.root, 'stat', '--format', 'json')).stdout).latest[0]
    .tstamp
})

afterAll(() => repo?.cleanup())

describe('flordb --help', () => {
  it('lists the commands and shows the help of each one', async () => {
    const main = await flordbCli(repo.root, '--help')
    const commands = [...main.stdout.matchAll(/^ {2}([a-z-]+) /gm)]
      .map((match) => match[1]!)
      .filter((name) => name !== 'help')

    expect(main.status).toBe(0)
    expect(commands).toEqual(expect.arrayContaining(['dataframe', 'query', 'unpack', 'stat']))

    const helps = await Promise.all(commands.map((name) => flordbCli(repo.root, name, '--help')))

    for (const [i, help] of helps.entries()) {
      expect(help).toMatchObject({ status: 0, stderr: '' })
      expect(help.stdout).toMatch(new RegExp(`^Usage: flordb ${commands[i]} `))
      expect(help.stdout).toContain('-h, --help')
    }
  })

  it('prints the package version', async () => {
    const result = await flordbCli(repo.root, '--version')

    expect(result).toMatchObject({ status: 0, stdout: `${version}\n` })
  })
})

describe('output formats', () => {
  it('prints query rows as a table, as CSV and as JSON', async () => {
    const sql = 'select name, value from logs order by seq'

    const query = (format: string) => flordbCli(repo.root, 'query', sql, '-f', format)
    const [table, csv, json] = await Promise.all([query('table'), query('csv'), query('json')])

    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/^shape: \(4, 2\)\n/)
    expect(table.stdout).toContain('│ loss ┆ 0.25')
    expect(table.stdout).toContain('done, "quoted"')
    expect(csv.stdout).toBe('name,value\nlr,0.5\nloss,0.5\nloss,0.25\nnote,"done, ""quoted"""\n')
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'lr', value: 0.5 },
      { name: 'loss', value: 0.5 },
      { name: 'loss', value: 0.25 },
      { name: 'note', value: 'done, "quoted"' },
    ])
  })

  it('prints the dataframe as a table, as CSV and as JSON', async () => {
    const frame = (format: string) =>
      flordbCli(repo.root, 'dataframe', 'lr,loss', '--format', format)
    const [table, csv, json] = await Promise.all([frame('table'), frame('csv'), frame('json')])

    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/^shape: \(2, 7\)\n/)
    expect(csv.stdout.split('\n')[0]).toBe('projid,tstamp,filename,epoch,epoch_value,lr,loss')
    expect(csv.stdout.trim().split('\n')).toHaveLength(3)
    expect(JSON.parse(json.stdout)).toEqual([
      {
        projid: repo.root.split('/').at(-1),
        tstamp,
        filename: 'train.mjs',
        epoch: 1,
        epoch_value: 1,
        lr: 0.5,
        loss: 0.5,
      },
      {
        projid: repo.root.split('/').at(-1),
        tstamp,
        filename: 'train.mjs',
        epoch: 2,
        epoch_value: 2,
        lr: 0.5,
        loss: 0.25,
      },
    ])
  })

  it('prints stat as text and as JSON', async () => {
    const [text, json] = await Promise.all([
      flordbCli(repo.root, 'stat'),
      flordbCli(repo.root, 'stat', '--format', 'json'),
    ])

    expect(text.stdout).toContain('runs      1 committed\n')
    expect(text.stdout).toContain('names     loss (2), lr (1), note (1)\n')
    expect(JSON.parse(json.stdout)).toMatchObject({
      projid: repo.root.split('/').at(-1),
      store: join(repo.root, '.flordb', 'store.sqlite'),
      versioned: true,
      runs: { committed: 1 },
      latest: [{ tstamp, filename: 'train.mjs', status: 'committed' }],
    })
  })
})

describe('exit codes and one-line errors', () => {
  it.each([
    [['nope'], 2, "error: unknown command 'nope'"],
    [['query'], 2, "error: missing required argument 'sql'"],
    [['stat', '--bogus'], 2, "error: unknown option '--bogus'"],
    [
      ['query', 'select 1', '--format', 'xml'],
      2,
      "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, csv, json.",
    ],
    [['query', 'delete from logs'], 5, 'flordb: query is read-only: use select statements only'],
    [['query', 'select * from nowhere'], 5, 'flordb: no such table: nowhere'],
    [['diff', 'then', 'now'], 8, 'flordb: no run has the tstamp then'],
  ])('flordb %j exits with %i and says why in one line', async (args, code, message) => {
    const result = await flordbCli(repo.root, ...args)

    expect(result.status).toBe(code)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n')[0]).toBe(message)
    expect(result.stderr).not.toMatch(stackTrace)
  })

  it('refuses unpack outside a git repository with exit code 3', async () => {
    const { root } = await project({ git: false })

    const result = await flordbCliWith(root, { env: { NODE_NO_WARNINGS: '1' } }, 'unpack')

    expect(result.status).toBe(3)
    expect(result.stderr).toBe(
      `flordb: ${root} is not in a git repository, so there is no history to unpack\n`,
    )
  })

  it('refuses a database URL it cannot use with exit code 4, without its password', async () => {
    const result = await flordbCliWith(
      repo.root,
      { env: { FLORDB_DATABASE_URL: 'postgres://me:s3cret@db.example/flor' } },
      'stat',
    )

    expect(result.status).toBe(4)
    expect(result.stderr).toBe(
      'flordb: FLORDB_DATABASE_URL is set (postgres://me:***@db.example/flor), but this build of flordb only has the SQLite store\n',
    )
  })

  it.runIf(process.getuid?.() === 0)(
    'reports a repository git does not trust with exit code 6',
    async () => {
      const { root } = await project({ commit: true })

      chownSync(root, 65534, 65534)

      const result = await flordbCli(root, 'stat')

      expect(result.status).toBe(6)
      expect(result.stderr).toMatch(
        /^flordb: git refuses to use the repository at .*dubious ownership.*safe\.directory \S+\n$/,
      )
      expect(result.stderr).not.toMatch(stackTrace)
    },
  )
})
