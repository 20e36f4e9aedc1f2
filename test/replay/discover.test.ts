import { describe, expect, it } from 'vitest'

import { findLogStatements } from '../../src/replay/discover.js'

const names = (source: string, file = 'train.ts') =>
  findLogStatements(source, file).statements.map((s) => s.name)

describe('findLogStatements', () => {
  it('finds a statement through a namespace import under any alias', () => {
    const source = [
      "import * as fl from 'flordb'",
      '',
      "fl.log('lr', 0.1)",
      "flor.log('ignored', 1)",
    ].join('\n')

    const { statements } = findLogStatements(source, 'train.ts')

    expect(statements).toEqual([
      {
        name: 'lr',
        file: 'train.ts',
        line: 3,
        start: source.indexOf('fl.log'),
        end: source.indexOf('fl.log') + "fl.log('lr', 0.1)".length,
        text: "fl.log('lr', 0.1)",
        loops: [],
        insideFunction: false,
      },
    ])
  })

  it('recognises renamed named imports', () => {
    const source = [
      "import { log as record, loop as each } from 'flordb'",
      "for (const e of each('epoch', [1, 2])) {",
      "  record('loss', e)",
      '}',
      "log('not_flordb', 1)",
    ].join('\n')

    const [statement] = findLogStatements(source, 'train.ts').statements

    expect(statement?.name).toBe('loss')
    expect(statement?.loops).toEqual(['epoch'])
    expect(names(source)).toEqual(['loss'])
  })

  it('recognises require in CommonJS files, including destructuring', () => {
    const plain = "const flor = require('flordb')\nflor.log('a', 1)\n"
    const destructured = "const { log: put } = require('flordb')\nput('b', 2)\n"

    expect(names(plain, 'train.cjs')).toEqual(['a'])
    expect(names(destructured, 'train.js')).toEqual(['b'])
  })

  it('returns nothing for a file that does not import flordb', () => {
    expect(names("import * as flor from './flor.js'\nflor.log('a', 1)\n")).toEqual([])
  })

  it('lists the enclosing loops outermost first', () => {
    const source = [
      "import * as flor from 'flordb'",
      "for (const epoch of flor.loop('epoch', epochs)) {",
      "  for (const batch of flor.loop('step', batches)) {",
      "    flor.log('loss', 1)",
      '  }',
      "  flor.log('acc', 2)",
      '}',
      "flor.log('done', true)",
    ].join('\n')

    const loops = findLogStatements(source, 'train.ts').statements.map((s) => [s.name, s.loops])

    expect(loops).toEqual([
      ['loss', ['epoch', 'step']],
      ['acc', ['epoch']],
      ['done', []],
    ])
  })

  it('counts for-await loops and ignores plain loops', () => {
    const source = [
      "import * as flor from 'flordb'",
      'async function main() {',
      "  for await (const doc of flor.loop('doc', stream())) {",
      '    for (const page of doc.pages) {',
      "      flor.log('page', page.n)",
      '    }',
      '  }',
      '}',
    ].join('\n')

    const [statement] = findLogStatements(source, 'train.ts').statements

    expect(statement?.loops).toEqual(['doc'])
    expect(statement?.insideFunction).toBe(true)
  })

  it('names a loop whose name is not a literal ?', () => {
    const source = [
      "import * as flor from 'flordb'",
      'for (const x of flor.loop(loopName, xs)) {',
      "  flor.log('x', x)",
      '}',
    ].join('\n')

    expect(findLogStatements(source, 'train.ts').statements[0]?.loops).toEqual(['?'])
  })

  it('does not count a log in the iterable of a loop as inside it', () => {
    const source = [
      "import * as flor from 'flordb'",
      "for (const x of flor.loop('epoch', flor.log('data', xs))) {}",
    ].join('\n')

    expect(findLogStatements(source, 'train.ts').statements[0]?.loops).toEqual([])
  })

  it('reports the enclosing statement when the log wraps an expression', () => {
    const source = [
      "import * as flor from 'flordb'",
      'function step() {',
      "  const loss = flor.log('loss', compute(",
      '    batch,',
      '  ))',
      '  return loss',
      '}',
    ].join('\n')

    const [statement] = findLogStatements(source, 'train.ts').statements

    expect(statement?.text).toBe("const loss = flor.log('loss', compute(\n    batch,\n  ))")
    expect(statement?.line).toBe(3)
    expect(statement?.insideFunction).toBe(true)
  })

  it('marks a log in a callback as inside a function', () => {
    const source = "import * as flor from 'flordb'\nxs.forEach((x) => flor.log('x', x))\n"

    const [statement] = findLogStatements(source, 'train.ts').statements

    expect(statement?.text).toBe("xs.forEach((x) => flor.log('x', x))")
    expect(statement?.insideFunction).toBe(true)
  })

  it('sees through the checkpointing body and a main called once at the top level', () => {
    const source = [
      "import * as flor from 'flordb'",
      'async function main() {',
      '  flor.checkpointing({ model }, () => {',
      "    for (const epoch of flor.loop('epoch', epochs)) flor.log('acc', 1)",
      '  })',
      '}',
      "function helper() { flor.log('inner', 1) }",
      "const run = async () => flor.log('arrow', 2)",
      'helper()',
      'helper()',
      'await main()',
      'run().catch(console.error)',
    ].join('\n')

    const { statements } = findLogStatements(source, 'train.ts')
    const inside = Object.fromEntries(statements.map((s) => [s.name, s.insideFunction]))

    expect(inside).toEqual({ acc: false, inner: true, arrow: false })
  })

  it('sets aside logs whose name is not a literal', () => {
    const source = [
      "import * as flor from 'flordb'",
      'flor.log(`loss`, 1)',
      'flor.log(`loss_${k}`, 2)',
      'flor.log(name, 3)',
    ].join('\n')

    const { statements, dynamic } = findLogStatements(source, 'train.ts')

    expect(statements.map((s) => s.name)).toEqual(['loss'])
    expect(dynamic).toEqual([
      { line: 3, text: 'flor.log(`loss_${k}`, 2)' },
      { line: 4, text: 'flor.log(name, 3)' },
    ])
  })

  it('parses tsx and mjs files', () => {
    const tsx = "import * as flor from 'flordb'\nconst el = <b>{flor.log('n', 1)}</b>\n"
    const mjs = "import { log } from 'flordb'\nlog('m', 1)\n"

    expect(names(tsx, 'view.tsx')).toEqual(['n'])
    expect(names(mjs, 'train.mjs')).toEqual(['m'])
  })
})
