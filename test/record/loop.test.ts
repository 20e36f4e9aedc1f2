import { describe, expect, it } from 'vitest'

import { project, queryRows, runScript } from '../helpers/run-script.js'

interface Placed {
  name: string
  value: unknown
  /** The record's loop contexts, outermost first, as `loop#iteration=value`. */
  path: string | null
}

interface LoopRow {
  ctx_id: number
  parent_ctx_id: number | null
  name: string
  iteration: number
  value: unknown
}

// Each record of the (single) run with the chain of loop contexts it was logged in.
async function placedRecords(source: string): Promise<Placed[]> {
  const { root } = await project({ commit: true })
  const result = await runScript(root, 'loops.mjs', `import * as flor from 'flordb'\n${source}`)

  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)

  const loops = new Map(
    (await queryRows<LoopRow>(root, 'select * from loops')).map((row) => [row.ctx_id, row]),
  )
  const path = (id: number | null): string | null => {
    const loop = id === null ? undefined : loops.get(id)

    if (!loop) return null

    const own = `${loop.name}#${loop.iteration}=${loop.value ?? ''}`
    const parent = path(loop.parent_ctx_id)

    return parent === null ? own : `${parent} > ${own}`
  }
  const logs = await queryRows<{ name: string; value: unknown; ctx_id: number | null }>(
    root,
    'select name, value, ctx_id from logs order by seq',
  )

  return logs.map(({ name, value, ctx_id }) => ({ name, value, path: path(ctx_id) }))
}

const sleep = 'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))\n'

describe('loop', () => {
  it('numbers iterations from 1, keeps primitive items as values and nests by how the code runs', async () => {
    const records = await placedRecords(`
      flor.log('lr', 0.1)
      for (const epoch of flor.loop('epoch', ['a', 'b'])) {
        for (const step of flor.loop('step', [10, 20])) flor.log('loss', step)
        for (const batch of flor.loop('batch', [{ big: true }, true])) flor.log('seen', 1)
        flor.log('acc', epoch)
      }
      flor.log('done', true)
    `)

    expect(records).toEqual([
      { name: 'lr', value: 0.1, path: null },
      { name: 'loss', value: 10, path: 'epoch#1=a > step#1=10' },
      { name: 'loss', value: 20, path: 'epoch#1=a > step#2=20' },
      { name: 'seen', value: 1, path: 'epoch#1=a > batch#1=' },
      { name: 'seen', value: 1, path: 'epoch#1=a > batch#2=1' },
      { name: 'acc', value: 'a', path: 'epoch#1=a' },
      { name: 'loss', value: 10, path: 'epoch#2=b > step#1=10' },
      { name: 'loss', value: 20, path: 'epoch#2=b > step#2=20' },
      { name: 'seen', value: 1, path: 'epoch#2=b > batch#1=' },
      { name: 'seen', value: 1, path: 'epoch#2=b > batch#2=1' },
      { name: 'acc', value: 'b', path: 'epoch#2=b' },
      { name: 'done', value: 1, path: null },
    ])
  })

  it('opens a context per iteration of an async iterable, nested and after awaits', async () => {
    const records = await placedRecords(`${sleep}
      async function* documents() {
        for (const name of ['x.pdf', 'y.pdf']) {
          await sleep(2)
          yield name
        }
      }

      for await (const doc of flor.loop('doc', documents())) {
        flor.log('start', doc)
        await sleep(1)
        for (const page of flor.loop('page', [1, 2])) {
          await sleep(1)
          flor.log('text', doc + page)
        }
        await sleep(1)
        flor.log('end', doc)
      }
      flor.log('total', 2)
    `)

    expect(records).toEqual([
      { name: 'start', value: 'x.pdf', path: 'doc#1=x.pdf' },
      { name: 'text', value: 'x.pdf1', path: 'doc#1=x.pdf > page#1=1' },
      { name: 'text', value: 'x.pdf2', path: 'doc#1=x.pdf > page#2=2' },
      { name: 'end', value: 'x.pdf', path: 'doc#1=x.pdf' },
      { name: 'start', value: 'y.pdf', path: 'doc#2=y.pdf' },
      { name: 'text', value: 'y.pdf1', path: 'doc#2=y.pdf > page#1=1' },
      { name: 'text', value: 'y.pdf2', path: 'doc#2=y.pdf > page#2=2' },
      { name: 'end', value: 'y.pdf', path: 'doc#2=y.pdf' },
      { name: 'total', value: 2, path: null },
    ])
  })

  it('closes the context on break, return and exceptions, so later records are run-level', async () => {
    const records = await placedRecords(`${sleep}
      for (const i of flor.loop('broken', [1, 2, 3])) {
        if (i === 2) break
      }
      flor.log('after_break', 1)

      const first = () => {
        for (const i of flor.loop('returned', [1, 2, 3])) if (i === 2) return i
      }
      first()
      flor.log('after_return', 1)

      try {
        for (const i of flor.loop('thrown', [1, 2, 3])) if (i === 2) throw new Error('boom')
      } catch {}
      flor.log('after_throw', 1)

      for (const outer of flor.loop('outer', [1])) {
        for (const inner of flor.loop('inner', [1, 2])) break
        flor.log('in_outer', outer)
      }

      for await (const i of flor.loop('async_broken', [1, 2, 3])) {
        await sleep(1)
        if (i === 2) break
      }
      flor.log('after_async_break', 1)

      try {
        for await (const i of flor.loop('async_thrown', [1, 2])) {
          await sleep(1)
          throw new Error('boom')
        }
      } catch {}
      flor.log('after_async_throw', 1)

      async function* failing() {
        yield 1
        await sleep(1)
        throw new Error('source failed')
      }
      try {
        for await (const i of flor.loop('failing_source', failing())) flor.log('got', i)
      } catch {}
      flor.log('after_failed_source', 1)

      for (const outer of flor.loop('holder', [1])) {
        const closed = await flor.loop('never_started', failing()).return()
        flor.log('in_holder', closed.done && outer)
      }
    `)

    expect(records).toEqual([
      { name: 'after_break', value: 1, path: null },
      { name: 'after_return', value: 1, path: null },
      { name: 'after_throw', value: 1, path: null },
      { name: 'in_outer', value: 1, path: 'outer#1=1' },
      { name: 'after_async_break', value: 1, path: null },
      { name: 'after_async_throw', value: 1, path: null },
      { name: 'got', value: 1, path: 'failing_source#1=1' },
      { name: 'after_failed_source', value: 1, path: null },
      { name: 'in_holder', value: 1, path: 'holder#1=1' },
    ])
  })

  it('keeps each of 20 concurrent async requests in its own iteration context', async () => {
    const records = await placedRecords(`${sleep}
      const handle = (id) =>
        flor.iteration('request', 'r' + id, async () => {
          await sleep((id * 7) % 5)
          flor.log('user', id)
          for (const page of flor.loop('page', [1, 2])) {
            await sleep((id * 3) % 4)
            flor.log('page_of', id)
          }
          await sleep(id % 3)
          flor.log('saved', id)
        })

      await Promise.all(Array.from({ length: 20 }, (_, id) => handle(id)))
      flor.log('served', 20)
    `)

    expect(records).toHaveLength(20 * 4 + 1)

    for (const record of records) {
      if (record.name === 'served') {
        expect(record.path).toBeNull()
        continue
      }

      const id = record.value as number
      const page = /^request#1=r(\d+)( > page#(\d)=\d)?$/.exec(record.path ?? '')

      expect(page?.[1]).toBe(String(id))
      expect(page?.[2] !== undefined).toBe(record.name === 'page_of')
    }
  })

  it('keeps two concurrent async loops in different async functions apart', async () => {
    const records = await placedRecords(`${sleep}
      async function* ticks(name, delay) {
        for (let i = 1; i <= 3; i++) {
          await sleep(delay)
          yield name + i
        }
      }

      async function train(name, delay) {
        for await (const tick of flor.loop(name, ticks(name, delay))) {
          await sleep(delay)
          flor.log(name + '_loss', tick)
        }
        flor.log(name + '_done', 1)
      }

      await Promise.all([train('a', 1), train('b', 3)])
      flor.log('both_done', 1)
    `)

    expect(records.filter((record) => record.name.startsWith('a_'))).toEqual([
      { name: 'a_loss', value: 'a1', path: 'a#1=a1' },
      { name: 'a_loss', value: 'a2', path: 'a#2=a2' },
      { name: 'a_loss', value: 'a3', path: 'a#3=a3' },
      { name: 'a_done', value: 1, path: null },
    ])
    expect(records.filter((record) => record.name.startsWith('b_'))).toEqual([
      { name: 'b_loss', value: 'b1', path: 'b#1=b1' },
      { name: 'b_loss', value: 'b2', path: 'b#2=b2' },
      { name: 'b_loss', value: 'b3', path: 'b#3=b3' },
      { name: 'b_done', value: 1, path: null },
    ])
    expect(records.at(-1)).toEqual({ name: 'both_done', value: 1, path: null })
  })

  // TODO: a sync `flor.loop` enters its first context while the async function
  // is still running synchronously inside its caller, so that context leaks into
  // the caller: the second function's loop nests under the first one's, and the
  // caller's later records land in it. The fix belongs in loop-frame.ts.
  it.fails('keeps sync loops in two concurrent async functions apart', async () => {
    const records = await placedRecords(`${sleep}
      async function train(name) {
        for (const step of flor.loop(name, [1, 2])) {
          await sleep(2)
          flor.log(name + '_loss', step)
        }
      }

      await Promise.all([train('a'), train('b')])
      flor.log('both_done', 1)
    `)

    expect(records.find((record) => record.name === 'b_loss')?.path).toBe('b#1=1')
    expect(records.at(-1)).toEqual({ name: 'both_done', value: 1, path: null })
  })
})
