import { describe, expect, it } from 'vitest'

import { project, queryRows, runScript, stackTrace } from '../helpers/run-script.js'

const script = `import * as flor from 'flordb'

const args = {
  lr: flor.arg('lr', 0.001),
  epochs: flor.arg('epochs', 10),
  flag: flor.arg('flag', false),
  tags: flor.arg('tags', ['default']),
  opts: flor.arg('opts', { depth: 1 }),
  name: flor.arg('name', 'base'),
  seed: flor.arg('seed', 1n),
}
console.log(JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? 'bigint:' + v : v)))
`

describe('arg', () => {
  it('casts --kwargs values to the type of the default and logs them run-level', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(root, 'train.mjs', script, {
      args: [
        '--kwargs',
        'lr=0.01',
        'epochs=3',
        'flag=true',
        'tags=["a"]',
        'opts={"depth":4}',
        'name=x=y',
        'seed=12345678901234567890',
      ],
    })

    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({
      lr: 0.01,
      epochs: 3,
      flag: true,
      tags: ['a'],
      opts: { depth: 4 },
      name: 'x=y',
      seed: 'bigint:12345678901234567890',
    })
    expect(
      await queryRows(root, 'select name, vtype, value, ctx_id from logs order by seq'),
    ).toEqual([
      { name: 'lr', vtype: 'number', value: 0.01, ctx_id: null },
      { name: 'epochs', vtype: 'number', value: 3, ctx_id: null },
      { name: 'flag', vtype: 'boolean', value: 1, ctx_id: null },
      { name: 'tags', vtype: 'json', value: '["a"]', ctx_id: null },
      { name: 'opts', vtype: 'json', value: '{"depth":4}', ctx_id: null },
      { name: 'name', vtype: 'string', value: 'x=y', ctx_id: null },
      { name: 'seed', vtype: 'bigint', value: '12345678901234567890', ctx_id: null },
    ])
    expect(await queryRows(root, 'select argv from runs')).toEqual([
      {
        argv: JSON.stringify([
          '--kwargs',
          'lr=0.01',
          'epochs=3',
          'flag=true',
          'tags=["a"]',
          'opts={"depth":4}',
          'name=x=y',
          'seed=12345678901234567890',
        ]),
      },
    ])
  })

  it('returns the defaults without --kwargs, and reads --kwargs=… up to the next flag', async () => {
    const { root } = await project({ commit: true })

    const plain = await runScript(root, 'train.mjs', script)
    const mixed = await runScript(root, 'train.mjs', script, {
      args: ['--verbose', '--kwargs=epochs=7', 'flag=off', '--other', 'lr=5'],
    })

    expect(JSON.parse(plain.stdout)).toEqual({
      lr: 0.001,
      epochs: 10,
      flag: false,
      tags: ['default'],
      opts: { depth: 1 },
      name: 'base',
      seed: 'bigint:1',
    })
    expect(JSON.parse(mixed.stdout)).toMatchObject({ lr: 0.001, epochs: 7, flag: false })
  })

  it.each([
    [['--kwargs', 'lr'], /^--kwargs takes name=value pairs; "lr" has no name=value$/],
    [['--kwargs', '=3'], /"=3" has no name=value/],
    [['--kwargs', 'epochs=abc'], /^--kwargs epochs=abc: expected a number, like the default 10$/],
    [['--kwargs', 'epochs='], /^--kwargs epochs=: expected a number/],
    [['--kwargs', 'flag=maybe'], /^--kwargs flag=maybe: expected true or false/],
    [['--kwargs', 'tags={"a":1}'], /^--kwargs tags=\{"a":1\}: expected a JSON array/],
    [['--kwargs', 'opts=[1]'], /^--kwargs opts=\[1\]: expected a JSON object/],
    [['--kwargs', 'opts=nope'], /^--kwargs opts=nope: expected a JSON object/],
  ])('rejects malformed %j with an error naming the flag', async (args, message) => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'train.mjs',
      `import * as flor from 'flordb'

      for (const [name, fallback] of [['lr', 0.1], ['epochs', 10], ['flag', false], ['tags', []], ['opts', {}]]) {
        try {
          flor.arg(name, fallback)
        } catch (error) {
          console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }))
          process.exit(0)
        }
      }
      `,
      { args },
    )

    expect(result.stderr).toBe('')

    const error = JSON.parse(result.stdout) as { name: string; code: string; message: string }

    expect(error).toMatchObject({ name: 'FlorError', code: 'E_BAD_KWARGS' })
    expect(error.message).toMatch(message)
  })

  it('ends a script that does not catch a malformed --kwargs with the one-line error', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'train.mjs',
      `import * as flor from 'flordb'

      flor.arg('epochs', 10)
      `,
      { args: ['--kwargs', 'epochs=abc'] },
    )

    expect(result.status).not.toBe(0)
    expect(result.stderr).toContain(
      'FlorError: --kwargs epochs=abc: expected a number, like the default 10',
    )
  })
})
