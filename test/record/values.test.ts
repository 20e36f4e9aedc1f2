import { describe, expect, it } from 'vitest'

import { project, queryRows, runScript, stackTrace } from '../helpers/run-script.js'

interface StoredLog {
  name: string
  vtype: string
  value: unknown
  sqltype: string
}

const storedLogs = (root: string) =>
  queryRows<StoredLog>(
    root,
    'select name, vtype, value, typeof(value) as sqltype from logs order by seq',
  )

const warningsAbout = (stderr: string, name: string) =>
  stderr.split('\n').filter((line) => line.includes(`flordb: "${name}"`))

describe('logged values', () => {
  it('stores every kind of value with its documented encoding', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'values.mjs',
      `import * as flor from 'flordb'

      class Point {
        constructor() { this.x = 1; this.y = [2] }
        norm() { return 0 }
      }

      flor.log('int', 3)
      flor.log('float', 0.25)
      flor.log('negative', -1e-9)
      flor.log('nan', NaN)
      flor.log('inf', Infinity)
      flor.log('ninf', -Infinity)
      flor.log('text', 'héllo "quoted"\\nline')
      flor.log('empty_text', '')
      flor.log('yes', true)
      flor.log('no', false)
      flor.log('nothing', null)
      flor.log('missing', undefined)
      flor.log('object', { a: 1, b: { c: [1, 'two', null] } })
      flor.log('array', [1, 2, 3])
      flor.log('big', 2n ** 70n)
      flor.log('when', new Date('2024-05-06T07:08:09.010Z'))
      flor.log('bad_date', new Date('nope'))
      flor.log('floats', new Float32Array([1.5, -2]))
      flor.log('bytes', new Uint8Array([0, 255]))
      flor.log('bigs', new BigInt64Array([1n, -2n]))
      flor.log('map', new Map([['k', 1], [2, { v: true }]]))
      flor.log('set', new Set(['a', 1]))
      flor.log('instance', new Point())
      flor.log('nested', { n: NaN, i: -Infinity, b: 5n, d: new Date(0), u: undefined })
      flor.log('with_json', { toJSON: () => ({ shown: 1 }) })
      `,
    )

    expect(result.status).toBe(0)
    expect(result.stderr).not.toMatch(stackTrace)
    expect(result.stderr.match(/flordb: .*/g)).toEqual([
      'flordb: "bad_date": an invalid Date was stored as null',
    ])
    expect(await storedLogs(root)).toEqual([
      { name: 'int', vtype: 'number', value: 3, sqltype: 'real' },
      { name: 'float', vtype: 'number', value: 0.25, sqltype: 'real' },
      { name: 'negative', vtype: 'number', value: -1e-9, sqltype: 'real' },
      { name: 'nan', vtype: 'number', value: 'NaN', sqltype: 'text' },
      { name: 'inf', vtype: 'number', value: 'Infinity', sqltype: 'text' },
      { name: 'ninf', vtype: 'number', value: '-Infinity', sqltype: 'text' },
      { name: 'text', vtype: 'string', value: 'héllo "quoted"\nline', sqltype: 'text' },
      { name: 'empty_text', vtype: 'string', value: '', sqltype: 'text' },
      { name: 'yes', vtype: 'boolean', value: 1, sqltype: 'integer' },
      { name: 'no', vtype: 'boolean', value: 0, sqltype: 'integer' },
      { name: 'nothing', vtype: 'null', value: null, sqltype: 'null' },
      { name: 'missing', vtype: 'null', value: null, sqltype: 'null' },
      { name: 'object', vtype: 'json', value: '{"a":1,"b":{"c":[1,"two",null]}}', sqltype: 'text' },
      { name: 'array', vtype: 'json', value: '[1,2,3]', sqltype: 'text' },
      { name: 'big', vtype: 'bigint', value: '1180591620717411303424', sqltype: 'text' },
      { name: 'when', vtype: 'date', value: '2024-05-06T07:08:09.010Z', sqltype: 'text' },
      { name: 'bad_date', vtype: 'null', value: null, sqltype: 'null' },
      {
        name: 'floats',
        vtype: 'json',
        value: '{"$flor":"Float32Array","values":[1.5,-2]}',
        sqltype: 'text',
      },
      {
        name: 'bytes',
        vtype: 'json',
        value: '{"$flor":"Uint8Array","values":[0,255]}',
        sqltype: 'text',
      },
      {
        name: 'bigs',
        vtype: 'json',
        value:
          '{"$flor":"BigInt64Array","values":[{"$flor":"bigint","value":"1"},{"$flor":"bigint","value":"-2"}]}',
        sqltype: 'text',
      },
      {
        name: 'map',
        vtype: 'json',
        value: '{"$flor":"Map","entries":[["k",1],[2,{"v":true}]]}',
        sqltype: 'text',
      },
      { name: 'set', vtype: 'json', value: '{"$flor":"Set","values":["a",1]}', sqltype: 'text' },
      {
        name: 'instance',
        vtype: 'json',
        value: '{"$class":"Point","x":1,"y":[2]}',
        sqltype: 'text',
      },
      {
        name: 'nested',
        vtype: 'json',
        value:
          '{"n":{"$flor":"number","value":"NaN"},"i":{"$flor":"number","value":"-Infinity"},' +
          '"b":{"$flor":"bigint","value":"5"},' +
          '"d":{"$flor":"Date","value":"1970-01-01T00:00:00.000Z"},"u":null}',
        sqltype: 'text',
      },
      { name: 'with_json', vtype: 'json', value: '{"shown":1}', sqltype: 'text' },
    ])
  })

  it('warns once per name on functions and circular objects, stores placeholders and completes the run', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'unencodable.mjs',
      `import * as flor from 'flordb'

      const circular = { id: 1 }
      circular.self = circular

      for (let i = 0; i < 3; i++) {
        flor.log('fn', () => i)
        flor.log('circle', circular)
        flor.log('holder', { call() {}, id: i })
      }
      flor.log('sym', Symbol('s'))
      flor.log('after', 'still recording')
      console.log('done')
      `,
    )

    expect(result.status).toBe(0)
    expect(result.stdout).toBe('done\n')
    expect(result.stderr).not.toMatch(stackTrace)
    expect(warningsAbout(result.stderr, 'fn')).toHaveLength(1)
    expect(warningsAbout(result.stderr, 'circle')).toHaveLength(1)
    expect(warningsAbout(result.stderr, 'holder')).toHaveLength(1)
    expect(warningsAbout(result.stderr, 'sym')).toHaveLength(1)

    const stored = await storedLogs(root)

    expect(stored.filter((row) => row.name === 'fn').map((row) => row.value)).toEqual(
      Array(3).fill('{"$flor":"unencodable","type":"function"}'),
    )
    expect(stored.find((row) => row.name === 'circle')?.value).toBe(
      '{"id":1,"self":{"$flor":"unencodable","type":"circular"}}',
    )
    expect(stored.find((row) => row.name === 'holder')?.value).toBe(
      '{"call":{"$flor":"unencodable","type":"function"},"id":0}',
    )
    expect(stored.find((row) => row.name === 'sym')?.value).toBe(
      '{"$flor":"unencodable","type":"symbol"}',
    )
    expect(stored.find((row) => row.name === 'after')?.value).toBe('still recording')
    expect(await queryRows(root, 'select status from runs')).toEqual([{ status: 'committed' }])
  })

  it('keeps finite numbers exact, in and out of loops', async () => {
    const { root } = await project({ commit: true })
    const numbers = [0.1 + 0.2, 1e308, 5e-324, -1.5e-300, 2 ** 53 - 1, -(2 ** 31), 1 / 3, 0]

    const result = await runScript(
      root,
      'numbers.mjs',
      `import * as flor from 'flordb'

      const numbers = ${JSON.stringify(numbers)}
      for (const n of numbers) flor.log('run_level', n)
      for (const n of flor.loop('i', numbers)) flor.log('in_loop', n)
      `,
    )

    expect(result.stderr).toBe('')

    const stored = await queryRows<{ name: string; value: number }>(
      root,
      'select name, value from logs order by seq',
    )

    expect(stored.filter((row) => row.name === 'run_level').map((row) => row.value)).toEqual(
      numbers,
    )
    expect(stored.filter((row) => row.name === 'in_loop').map((row) => row.value)).toEqual(numbers)
    expect(
      (await queryRows<{ value: number }>(root, 'select value from loops order by ctx_id')).map(
        (row) => row.value,
      ),
    ).toEqual(numbers)
  })

  it('stores an object reached twice without a cycle in full', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'shared.mjs',
      `import * as flor from 'flordb'

      const shared = { v: 1 }
      flor.log('twice', { a: shared, b: shared, list: [shared, shared] })
      `,
    )

    expect(result.stderr).toBe('')
    expect((await storedLogs(root))[0]?.value).toBe(
      '{"a":{"v":1},"b":{"v":1},"list":[{"v":1},{"v":1}]}',
    )
  })

  it('returns the value it logs, the very same object', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'returns.mjs',
      `import * as flor from 'flordb'

      const model = { weights: [1, 2] }
      const fn = () => 1
      const results = [
        flor.log('model', model) === model,
        flor.log('loss', 0.5) === 0.5,
        Number.isNaN(flor.log('nan', NaN)),
        flor.log('fn', fn) === fn,
        flor.log('', 'dropped') === 'dropped',
        flor.log('total', flor.log('a', 1) + flor.log('b', 2)) === 3,
      ]
      console.log(JSON.stringify(results))
      `,
    )

    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([true, true, true, true, true, true])
    expect((await storedLogs(root)).map(({ name, value }) => [name, value])).toEqual([
      ['model', '{"weights":[1,2]}'],
      ['loss', 0.5],
      ['nan', 'NaN'],
      ['fn', '{"$flor":"unencodable","type":"function"}'],
      ['a', 1],
      ['b', 2],
      ['total', 3],
    ])
  })
})
