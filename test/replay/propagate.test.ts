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
