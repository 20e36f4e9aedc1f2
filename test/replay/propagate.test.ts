import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { findLogStatements } from '../../src/replay/discover.js'
import { propagate } from '../../src/replay/propagate.js'
import type { Propagation } from '../../src/replay/propagate.js'

interface Case {
  // the log name of the statement to propagate
  name: string
  // set on cases we know we get wrong: why, and what it costs
  knownGap?: string
}

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))
const cases = readdirSync(corpus)
  .filter((entry) => statSync(join(corpus, entry)).isDirectory())
  .sort()

const read = (dir: string, file: string) => readFileSync(join(corpus, dir, file), 'utf8')

function run(dir: string, spec: Case): Propagation {
  const newSource = read(dir, 'new.ts')
  const statement = findLogStatements(newSource, 'train.ts').statements.find(
    (s) => s.name === spec.name,
  )

  if (statement === undefined) throw new Error(`${dir}: new.ts does not log '${spec.name}'`)

  return propagate({ newSource, oldSource: read(dir, 'old.ts'), statement, file: 'train.ts' })
}

function check(dir: string, result: Propagation): void {
  if (existsSync(join(corpus, dir, 'refuse'))) {
    expect(result.ok ? 'placed' : result.reason).toContain(read(dir, 'refuse').trim())
  } else {
    expect(result.ok ? result.source : `refused: ${result.reason}`).toBe(read(dir, 'expected.ts'))
  }
}

function recordedScore(): number {
  const match = /Score: (\d+)\/(\d+)/.exec(read('.', 'README.md'))

  if (!match) throw new Error('corpus/README.md records no "Score: right/total"')

  return Number(match[1]) / Number(match[2])
}

describe('propagate over the corpus', () => {
  let right = 0

  for (const dir of cases) {
    const spec = JSON.parse(read(dir, 'case.json')) as Case
    const title = `${dir}: ${existsSync(join(corpus, dir, 'refuse')) ? 'refuses' : 'places it'}`

    // A known gap must keep failing: once it passes, its note in case.json is stale.
    const test = spec.knownGap ? it.fails : it

    test(title, () => {
      check(dir, run(dir, spec))
      right++
    })
  }

  it('keeps at least the score recorded in corpus/README.md', () => {
    console.info(`propagation corpus: ${right}/${cases.length} right`)

    expect(right / cases.length).toBeGreaterThanOrEqual(recordedScore())
  })
})

describe('propagate', () => {
  const script = (...body: string[]) =>
    [
      "import * as flor from 'flordb'",
      '',
      'const model = createModel()',
      '',
      "for (const epoch of flor.loop('epoch', range(3))) {",
      ...body.map((line) => `  ${line}`),
      '}',
      '',
    ].join('\n')
  const statementOf = (source: string, name: string) => {
    const statement = findLogStatements(source, 'train.ts').statements.find((s) => s.name === name)

    if (statement === undefined) throw new Error(`no ${name}`)

    return statement
  }

  it('reports the line, the renames and the anchor of a placement', () => {
    const newSource = script('const out = model.fit()', "flor.log('fit', out.loss)")
    const oldSource = script('const result = model.fit()', 'result.save()')

    const result = propagate({
      newSource,
      oldSource,
      statement: statementOf(newSource, 'fit'),
      file: 'train.ts',
    })

    expect(result).toEqual({
      ok: true,
      source: script('const result = model.fit()', "flor.log('fit', result.loss)", 'result.save()'),
      line: 7,
      renames: { out: 'result' },
      anchor: 'after `const result = model.fit()` (line 6)',
    })
  })

  it('refuses when the old version already logs the name', () => {
    const newSource = script('model.fit()', "flor.log('fit', 1)")
    const oldSource = script('model.fit()', "flor.log('fit', 2)")

    const result = propagate({
      newSource,
      oldSource,
      statement: statementOf(newSource, 'fit'),
      file: 'train.ts',
    })

    expect(result).toEqual({ ok: false, reason: "the old version already logs 'fit'" })
  })

  it('refuses a statement that is not where the caller says', () => {
    const newSource = script('model.fit()', "flor.log('fit', 1)")
    const statement = { ...statementOf(newSource, 'fit'), start: 0 }

    const result = propagate({
      newSource,
      oldSource: script('model.fit()'),
      statement,
      file: 'train.ts',
    })

    expect(result.ok).toBe(false)
  })

  it('refuses the unbraced body of a loop rather than guess around it', () => {
    const newSource = script("for (const x of model.layers) flor.log('layer', x.name)")
    const oldSource = script('for (const x of model.layers) x.freeze()')

    const result = propagate({
      newSource,
      oldSource,
      statement: statementOf(newSource, 'layer'),
      file: 'train.ts',
    })

    expect(result).toEqual({
      ok: false,
      reason: 'the statement is the body of a `for` without braces',
    })
  })

  it('refuses when the old version does not import flordb', () => {
    const newSource = script('model.fit()', "flor.log('fit', 1)")
    const oldSource = 'const model = createModel()\nmodel.fit()\n'

    const result = propagate({
      newSource,
      oldSource,
      statement: statementOf(newSource, 'fit'),
      file: 'train.ts',
    })

    expect(result).toEqual({
      ok: false,
      reason: 'the old version does not import `log` from flordb',
    })
  })

  it('places a statement in a file of a few thousand lines within seconds', () => {
    const helpers = Array.from({ length: 150 }, (_, i) =>
      [
        `export function helper${i}(input: number): number {`,
        ...Array.from(
          { length: 12 },
          (_, j) => `  const v${j} = compute${(i + j) % 13}(input, ${j})`,
        ),
        '  return v0 + v11',
        '}',
        '',
      ].join('\n'),
    ).join('\n')
    const newSource = `${helpers}\n${script('model.fit()', "flor.log('fit', 1)")}`
    const oldSource = `${helpers.replaceAll('return v0', 'return v1')}\n${script('model.fit()')}`
    const started = performance.now()

    const result = propagate({
      newSource,
      oldSource,
      statement: statementOf(newSource, 'fit'),
      file: 'train.ts',
    })

    expect(result.ok).toBe(true)
    expect(performance.now() - started).toBeLessThan(10_000)
  })
})
