import { describe, expect, it } from 'vitest'

import { project, queryRows, runScript, stackTrace } from '../helpers/run-script.js'

const florWarnings = (stderr: string) => stderr.match(/flordb: .*/g) ?? []

describe('log names', () => {
  it('drops records under an empty or over-long name with one warning each, and keeps going', async () => {
    const { root } = await project({ commit: true })
    const longest = 'n'.repeat(255)

    const result = await runScript(
      root,
      'names.mjs',
      `import * as flor from 'flordb'

      for (let i = 0; i < 3; i++) {
        flor.log('', i)
        flor.log('x'.repeat(256), i)
        flor.log('x'.repeat(10_000), i)
      }
      flor.log('${longest}', 'kept')
      flor.log('ok', 1)
      `,
    )

    expect(result.status).toBe(0)
    expect(result.stderr).not.toMatch(stackTrace)
    expect(florWarnings(result.stderr)).toEqual([
      'flordb: a log name must have 1 to 255 characters; records under "" are not kept',
      `flordb: a log name must have 1 to 255 characters; records under "${'x'.repeat(64)}" are not kept`,
    ])
    expect(await queryRows(root, 'select name, value from logs order by seq')).toEqual([
      { name: longest, value: 'kept' },
      { name: 'ok', value: 1 },
    ])
  })

  it('keeps a record under a non-string name as its string form, with a warning', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'non-string.mjs',
      `import * as flor from 'flordb'

      flor.log(42, 'a')
      flor.log(42, 'b')
      flor.log(undefined, 'c')
      flor.log({}, 'd')
      flor.log(Symbol('s'), 'e')
      flor.log(Object.create(null), 'f')
      console.log('done')
      `,
    )

    expect(result.status).toBe(0)
    expect(result.stdout).toBe('done\n')
    expect(result.stderr).not.toMatch(stackTrace)
    expect(florWarnings(result.stderr).filter((line) => line.includes('42'))).toHaveLength(1)
    expect(await queryRows(root, 'select name, value from logs order by seq')).toEqual(
      expect.arrayContaining([
        { name: '42', value: 'a' },
        { name: '42', value: 'b' },
        { name: 'undefined', value: 'c' },
        { name: '[object Object]', value: 'd' },
        { name: 'Symbol(s)', value: 'e' },
      ]),
    )
  })

  it('keeps records under reserved names, readable through query, with one warning per name', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'reserved.mjs',
      `import * as flor from 'flordb'

      flor.log('projid', 'mine')
      flor.log('projid', 'again')
      flor.log('tstamp', 1)
      flor.log('filename', 'x.mjs')
      `,
    )

    expect(result.status).toBe(0)
    expect(florWarnings(result.stderr)).toEqual([
      'flordb: "projid" is a column every record has; values logged under it are kept, but only flor.query can read them',
      'flordb: "tstamp" is a column every record has; values logged under it are kept, but only flor.query can read them',
      'flordb: "filename" is a column every record has; values logged under it are kept, but only flor.query can read them',
    ])
    expect(await queryRows(root, 'select name, value from logs order by seq')).toEqual([
      { name: 'projid', value: 'mine' },
      { name: 'projid', value: 'again' },
      { name: 'tstamp', value: 1 },
      { name: 'filename', value: 'x.mjs' },
    ])
  })

  it('names badly named loops in a usable way, warns, and never throws into the loop', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'loop-names.mjs',
      `import * as flor from 'flordb'

      for (const a of flor.loop('', [1])) flor.log('in_empty', a)
      for (const b of flor.loop(7, [2])) flor.log('in_seven', b)
      for (const c of flor.loop('tstamp', [3])) flor.log('in_tstamp', c)
      for (const d of flor.loop(undefined, [4])) flor.log('in_undefined', d)
      console.log('done')
      `,
    )

    expect(result.status).toBe(0)
    expect(result.stdout).toBe('done\n')
    expect(result.stderr).not.toMatch(stackTrace)
    expect(florWarnings(result.stderr)).toEqual([
      'flordb: loop names are non-empty strings; "" was used as "loop"',
      'flordb: loop names are non-empty strings; 7 was used as "7"',
      'flordb: a loop named "tstamp" shadows a column every record has; rename the loop',
      'flordb: loop names are non-empty strings; undefined was used as "undefined"',
    ])
    expect(
      await queryRows(
        root,
        `select g.name, o.name as loop, o.iteration, o.value
         from logs g join loops o on o.run_id = g.run_id and o.ctx_id = g.ctx_id order by g.seq`,
      ),
    ).toEqual([
      { name: 'in_empty', loop: 'loop', iteration: 1, value: 1 },
      { name: 'in_seven', loop: '7', iteration: 1, value: 2 },
      { name: 'in_tstamp', loop: 'tstamp', iteration: 1, value: 3 },
      { name: 'in_undefined', loop: 'undefined', iteration: 1, value: 4 },
    ])
  })
})
