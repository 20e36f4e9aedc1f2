import { describe, expect, it } from 'vitest'

import { project, queryRows, runScript } from '../helpers/run-script.js'

describe('store under concurrent processes', () => {
  it('loses no record and never reports a locked database with 8 writers and a reader', async () => {
    const { root } = await project({ commit: true })
    const at = Date.now() + 2000
    const writer = `import * as flor from 'flordb'

      while (Date.now() < ${at}) {}
      const writer = flor.arg('writer', 0)
      for (const i of flor.loop('step', Array.from({ length: 1999 }, (_, i) => i))) {
        flor.log('x', writer * 10_000 + i)
      }
      `
    const reader = `import * as flor from 'flordb'

      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
      const seen = []
      for (let tries = 0; tries < 600; tries++) {
        const [{ runs }] = await flor.query("select count(*) as runs from runs where filename = 'writer.mjs'")
        if (seen.at(-1) !== runs) seen.push(runs)
        if (runs === 8) break
        await sleep(50)
      }
      console.log(JSON.stringify(seen))
      `

    const results = await Promise.all([
      ...Array.from({ length: 8 }, (_, n) =>
        runScript(root, 'writer.mjs', writer, { args: ['--kwargs', `writer=${n}`] }),
      ),
      runScript(root, 'reader.mjs', reader),
    ])

    for (const result of results) {
      expect(result.stderr).not.toMatch(/locked|busy/i)
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
    }

    const seen = JSON.parse(results.at(-1)!.stdout) as number[]

    expect(seen.at(-1)).toBe(8)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(
      await queryRows(
        root,
        `select count(*) as records, count(distinct value) as distinct_values,
          count(distinct run_id) as runs, min(value) as low, max(value) as high
         from logs where name = 'x'`,
      ),
    ).toEqual([{ records: 8 * 1999, distinct_values: 8 * 1999, runs: 8, low: 0, high: 71_998 }])
    expect(await queryRows(root, "select count(*) as n from logs where name = 'writer'")).toEqual([
      { n: 8 },
    ])
    expect(await queryRows(root, "select count(*) as n from loops where name = 'step'")).toEqual([
      { n: 8 * 1999 },
    ])
  })
})
