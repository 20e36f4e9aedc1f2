import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

import { describe, expect, it, onTestFinished } from 'vitest'

import {
  betterSqlite3Path,
  packageRoot,
  flordbCli,
  flordbCliWith,
  project,
  queryRows,
  runScript,
  stackTrace,
  start,
} from '../helpers/run-script.js'

const logOnce = `import * as flor from 'flordb'\nflor.log('loss', 0.5)\nconsole.log('trained')\n`

// Root ignores file permissions; a read-only file is read-only only to another user.
const otherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined

// Root ignores file permissions, so a read-only store is tested as `nobody`, who must be
// able to reach this checkout: one under a private folder (mode 700) cannot be tested so.
function othersCanReach(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false
    if (dirname(dir) === dir) return true
  }
}

const readOnlyTestable = otherUser === undefined || othersCanReach(packageRoot)

// Another process that takes the store's write lock (with `exclusive`, every lock) for a while.
async function holdLock(store: string, ms: number, exclusive = false) {
  const holder = start(dirname(store), [
    '--input-type=module',
    '-e',
    `import { createRequire } from 'node:module'
    const Database = createRequire(import.meta.url)(${JSON.stringify(betterSqlite3Path)})
    const db = new Database(${JSON.stringify(store)})
    if (${exclusive}) db.pragma('locking_mode = exclusive')
    db.exec('begin exclusive')
    db.prepare("insert into timings (run_id, kind, seconds) values (0, 'lock', 0)").run()
    console.log('locked')
    setTimeout(() => { db.exec('commit'); db.close(); console.log('released') }, ${ms})`,
  ])

  onTestFinished(() => {
    holder.child.kill('SIGKILL')
  })

  while (!holder.stdout().includes('locked')) {
    if (holder.child.exitCode !== null) throw new Error((await holder.done).stderr)

    await new Promise((resolve) => setTimeout(resolve, 10))
  }

  return holder
}

describe('store errors', () => {
  it('reports a corrupt store in one line with exit code 4 and leaves the file as it was', async () => {
    const { root } = await project({ commit: true })
    const store = join(root, '.flordb', 'store.sqlite')

    await runScript(root, 'train.mjs', logOnce)
    writeFileSync(store, Buffer.from('this is not a database, just some bytes '.repeat(200)))

    const before = readFileSync(store)
    const files = readdirSync(join(root, '.flordb')).sort()
    const results = [
      await flordbCli(root, 'stat'),
      await flordbCli(root, 'query', 'select 1'),
      await flordbCli(root, 'dataframe', 'loss'),
    ]

    for (const result of results) {
      expect(result.status).toBe(4)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(
        /^flordb: the store at .*store\.sqlite is damaged \(.*\); move it aside and run "flordb unpack" to rebuild it from git\n$/,
      )
    }

    expect(readFileSync(store).equals(before)).toBe(true)
    expect(readdirSync(join(root, '.flordb')).sort()).toEqual(files)
  })

  it('lets a training run finish on a corrupt store and indexes it once the store is rebuilt', async () => {
    const { root } = await project({ commit: true })
    const store = join(root, '.flordb', 'store.sqlite')

    await runScript(root, 'train.mjs', logOnce)
    writeFileSync(store, 'garbage')

    const run = await runScript(root, 'train.mjs', logOnce)

    expect(run.status).toBe(0)
    expect(run.stdout).toBe('trained\n')
    expect(run.stderr).toMatch(
      /flordb: the run is saved in .*\.jsonl but not yet indexed: .*damaged/,
    )
    expect(run.stderr).not.toMatch(stackTrace)
    expect(readFileSync(store, 'utf8')).toBe('garbage')

    writeFileSync(store, '')

    expect(await queryRows(root, 'select status from runs')).toEqual([
      { status: 'committed' },
      { status: 'committed' },
    ])
  })

  it.skipIf(!readOnlyTestable)(
    'reports a store it cannot write in one line with exit code 4, and a run still finishes',
    async () => {
      const { root } = await project({ git: false })
      const flordbDir = join(root, '.flordb')
      const store = join(flordbDir, 'store.sqlite')

      await runScript(root, 'train.mjs', logOnce, { env: { NODE_NO_WARNINGS: '1' } })
      chmodSync(root, 0o755)
      chmodSync(store, 0o444)
      chmodSync(join(flordbDir, 'runs'), 0o777)

      const before = readFileSync(store)
      const cli = await flordbCliWith(
        root,
        { user: otherUser, env: { NODE_NO_WARNINGS: '1' } },
        'stat',
      )
      const run = await runScript(root, 'train.mjs', logOnce, { user: otherUser })

      expect(cli.status).toBe(4)
      expect(cli.stderr).toMatch(
        /^flordb: cannot write the store at .*store\.sqlite \(.*\); check its permissions\n$/,
      )
      expect(run.status).toBe(0)
      expect(run.stdout).toBe('trained\n')
      expect(run.stderr).toMatch(/not yet indexed: cannot write the store/)
      expect(run.stderr).not.toMatch(stackTrace)
      expect(readFileSync(store).equals(before)).toBe(true)
    },
  )

  it('waits for a store another process holds locked and then indexes the run', async () => {
    const { root } = await project({ commit: true })
    const store = join(root, '.flordb', 'store.sqlite')

    await runScript(root, 'first.mjs', logOnce)

    const holder = await holdLock(store, 3000)

    const startedAt = Date.now()
    const run = await runScript(root, 'second.mjs', logOnce)
    const held = await holder.done

    expect(held.stdout).toBe('locked\nreleased\n')
    expect(run.status).toBe(0)
    expect(run.stderr).toBe('')
    expect(Date.now() - startedAt).toBeGreaterThan(1000)
    expect(await queryRows(root, 'select filename, status from runs order by run_id')).toEqual([
      { filename: 'first.mjs', status: 'committed' },
      { filename: 'second.mjs', status: 'committed' },
    ])
    expect(existsSync(store)).toBe(true)
  })

  it('gives up on a store no one else may even read with E_STORE_LOCKED, and a run still ends', async () => {
    const { root } = await project({ commit: true })
    const store = join(root, '.flordb', 'store.sqlite')

    await runScript(root, 'first.mjs', logOnce)

    const holder = await holdLock(store, 60_000, true)
    const [cli, run] = await Promise.all([
      flordbCli(root, 'stat'),
      runScript(root, 'second.mjs', logOnce),
    ])

    expect(cli.status).toBe(4)
    expect(cli.stderr).toMatch(
      /^flordb: the store at .*store\.sqlite is locked by another process; try again when it finishes\n$/,
    )
    expect(run.status).toBe(0)
    expect(run.stdout).toBe('trained\n')
    expect(run.stderr).toMatch(/not yet indexed: the store at .* is locked by another process/)
    expect(run.stderr).not.toMatch(stackTrace)

    holder.child.kill('SIGKILL')
    await holder.done

    expect(await queryRows(root, 'select filename from runs order by run_id')).toEqual([
      { filename: 'first.mjs' },
      { filename: 'second.mjs' },
    ])
  })
})
