import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTempRepo, type TempRepo } from '../helpers/git-repo.js'
import { flordbCli, linkPackage, queryRows, runScript, stackTrace } from '../helpers/run-script.js'

const writes = [
  "insert into logs (run_id, seq, name, vtype, value) values (1, 99, 'x', 'number', 1)",
  'update logs set value = 0',
  'delete from logs',
  'drop table logs',
  'create table extra (a)',
  'alter table logs add column extra',
  'pragma user_version = 42',
  "attach database 'attached.db' as extra",
  "  /* a comment first */ ATTACH database 'attached.db' as extra",
  "-- a comment first\nattach database 'attached.db' as extra",
  'with gone as (select 1) delete from logs',
  "vacuum into 'copy.db'",
  'detach database main',
  'reindex',
  'analyze',
]

// One store that every test here reads, or fails to write.
let repo: TempRepo
let root: string

beforeAll(async () => {
  repo = await createTempRepo({ commit: true })
  root = repo.root
  linkPackage(root)

  const run = await runScript(
    root,
    'train.mjs',
    `import * as flor from 'flordb'\nflor.log('loss', 0.5)\nflor.log('acc', 0.9)\n`,
  )

  if (run.status !== 0) throw new Error(run.stderr)
})

afterAll(() => repo?.cleanup())

const contents = (root: string) =>
  queryRows(root, 'select * from logs order by run_id, seq').then(async (logs) => ({
    logs,
    tables: await queryRows(root, 'select name from sqlite_master order by name'),
    version: await queryRows(root, 'pragma user_version'),
  }))

describe('query', () => {
  it('refuses statements that write, from the CLI, and changes nothing', async () => {
    const before = await contents(root)

    for (const sql of [writes[0]!, writes[3]!, writes[6]!, writes[9]!, writes[10]!]) {
      const result = await flordbCli(root, 'query', '--', sql)

      expect({ sql, status: result.status, stderr: result.stderr }).toEqual({
        sql,
        status: 5,
        stderr: 'flordb: query is read-only: use select statements only\n',
      })
    }

    expect(await contents(root)).toEqual(before)
    expect(existsSync(join(root, 'attached.db'))).toBe(false)
    expect(existsSync(join(root, 'copy.db'))).toBe(false)
  })

  it('refuses writes from flor.query with E_READ_ONLY_QUERY and the run goes on', async () => {
    const before = await contents(root)

    const result = await runScript(
      root,
      'reader.mjs',
      `import * as flor from 'flordb'

      const codes = []
      for (const sql of ${JSON.stringify(writes)}) {
        try {
          await flor.query(sql)
          codes.push('allowed: ' + sql)
        } catch (error) {
          codes.push(error.code)
        }
      }
      console.log(JSON.stringify(codes))
      `,
    )

    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual(writes.map(() => 'E_READ_ONLY_QUERY'))
    expect(await contents(root)).toEqual(before)
    expect(existsSync(join(root, 'attached.db'))).toBe(false)
  })

  it('binds parameters, so SQL in a parameter is only a value', async () => {
    const evil = "'; drop table logs; --"

    const cli = await queryRows(root, 'select count(*) as n from logs where name = ?', evil)
    const script = await runScript(
      root,
      'reader.mjs',
      `import * as flor from 'flordb'

      const rows = await flor.query('select name from logs where name = ? or name = ?', [${JSON.stringify(evil)}, 'acc'])
      console.log(JSON.stringify(rows))
      `,
    )

    expect(cli).toEqual([{ n: 0 }])
    expect(script.stderr).toBe('')
    expect(JSON.parse(script.stdout)).toEqual([{ name: 'acc' }])
    expect(await queryRows(root, 'select count(*) as n from logs')).toEqual([{ n: 2 }])
  })

  it('binds CLI parameters as JSON values when they read as JSON, else as text', async () => {
    const rows = await queryRows(
      root,
      'select ? as a, typeof(?) as b, ? as c, ? as d, ? as e',
      '3',
      '2.5',
      'true',
      'null',
      '[1,2]',
    )

    expect(rows).toEqual([{ a: 3, b: 'real', c: 1, d: null, e: '[1,2]' }])
  })

  it.each([
    [['query', 'select * from nowhere'], 5, /^flordb: no such table: nowhere\n$/],
    [
      ['query', 'select ?', '--param', '1', '2'],
      5,
      /^flordb: Too many parameter values were provided\n$/,
    ],
    [['query', 'select 1; select 2'], 5, /^flordb: .*more than one statement.*\n$/],
    [['query', 'selec 1'], 5, /^flordb: near "selec": syntax error\n$/],
  ])('reports a bad query %j in one line with exit code %i', async (args, code, message) => {
    const result = await flordbCli(root, ...args)

    expect(result.status).toBe(code)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(stackTrace)
  })

  it('leaves the store file byte for byte as it was after reads and refused writes', async () => {
    const store = join(root, '.flordb', 'store.sqlite')
    await flordbCli(root, 'stat')
    const before = readFileSync(store)

    await flordbCli(root, 'query', 'delete from logs')
    await flordbCli(root, 'query', 'drop table runs')

    expect(readFileSync(store).equals(before)).toBe(true)
  })
})
