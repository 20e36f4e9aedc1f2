import { createHash } from 'node:crypto'
import { deserialize, serialize } from 'node:v8'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { captureState, restoreState } from '../../dist/record/object-state.js'
import { loadObject } from '../../dist/record/object-store.js'
import { project, queryRows, runScript } from '../helpers/run-script.js'

interface CheckpointRow {
  loop: string
  iteration: number
  point: string
  object: string
  hash: string
  size: number
  location: string
}

const checkpointsSql = `
  select o.name as loop, o.iteration, c.point, c.object, c.hash, c.size, c.location
  from checkpoints c join loops o on o.run_id = c.run_id and o.ctx_id = c.ctx_id
  order by o.iteration, c.point, c.object`

const training = `import * as flor from 'flordb'

class Model {
  constructor() {
    this.w = [0]
    this.steps = 0
  }
  predict() {
    return this.w[0]
  }
}

const model = new Model()
const history = []
const counts = new Map()
const seen = new Set()
const weights = new Float32Array(3)
const optimizer = {
  state: { lr: 0.1, t: 0 },
  stateDict() {
    return structuredClone(this.state)
  },
  loadStateDict(state) {
    this.state = state
  },
}

flor.checkpointing(
  { model, history, counts, seen, weights, optimizer },
  () => {
    for (const epoch of flor.loop('epoch', [1, 2, 3])) {
      for (const step of flor.loop('step', [1, 2])) {
        model.steps++
        weights[step] += epoch
        optimizer.state.t++
      }
      model.w = [epoch * 10]
      history.push(epoch)
      counts.set('e' + epoch, { epoch })
      seen.add(epoch)
      weights[0] = epoch
      flor.log('acc', epoch)
    }
  },
  { epsilon: 1e9 },
)
`

describe('checkpointing', () => {
  it('saves every object at the end of each iteration and of each nested loop, content-addressed', async () => {
    const { root } = await project({ commit: true })

    const run = await runScript(root, 'train.mjs', training)

    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)

    const rows = await queryRows<CheckpointRow>(root, checkpointsSql)
    const objects = ['counts', 'history', 'model', 'optimizer', 'seen', 'weights']

    expect(rows.map((row) => `${row.loop}#${row.iteration} ${row.point} ${row.object}`)).toEqual(
      [1, 2, 3].flatMap((epoch) => [
        ...objects.map((object) => `epoch#${epoch} end ${object}`),
        ...objects.map((object) => `epoch#${epoch} loop:step:1 ${object}`),
      ]),
    )

    for (const row of rows) {
      const bytes = readFileSync(join(root, '.flordb', row.location))

      expect(row.location).toBe(`objects/${row.hash.slice(0, 2)}/${row.hash}`)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.hash)
      expect(bytes.length).toBe(row.size)
    }
  })

  it('keeps checkpointing into the new run after a commit in the loop body', async () => {
    const { root } = await project({ commit: true })
    const script = `import * as flor from 'flordb'

const state = { seen: [] }

await flor.checkpointing(
  { state },
  async () => {
    for (const day of flor.loop('day', [1, 2, 3])) {
      state.seen.push(day)
      flor.log('day_total', state.seen.length)
      await flor.commit()
    }
  },
  { epsilon: 1e9 },
)
`

    const run = await runScript(root, 'serve.mjs', script)

    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)

    const perRun = await queryRows<{ tstamp: string; logs: number; checkpoints: number }>(
      root,
      `select r.tstamp,
         (select count(*) from logs l where l.run_id = r.run_id) as logs,
         (select count(*) from checkpoints c where c.run_id = r.run_id) as checkpoints
       from runs r order by r.tstamp`,
    )

    // Each day's log is committed with its run; the checkpoint at the day's end
    // lands in the run the commit opened.
    expect(perRun.map((row) => row.logs)).toEqual([1, 1, 1, 0])
    expect(perRun.map((row) => row.checkpoints)).toEqual([0, 1, 1, 1])
  })

  it('restores nested objects in place, so references the user holds stay valid', () => {
    const weights = new Float64Array([1, 2, 3])
    const layers = [{ bias: [0.5] }]
    const model = { weights, layers, steps: 3, extra: 'dropped' as string | undefined }
    const saved = deserialize(serialize(captureState({ weights, layers, steps: 3 })))

    weights.set([9, 9, 9])
    layers[0]!.bias[0] = 7
    model.steps = 10

    restoreState(model, saved)

    expect(model.weights).toBe(weights)
    expect([...weights]).toEqual([1, 2, 3])
    expect(model.layers).toBe(layers)
    expect(layers[0]!.bias).toEqual([0.5])
    expect(model.steps).toBe(3)
    expect('extra' in model).toBe(false)
  })

  it('restores each kind of object in place from a checkpoint, keeping its class', async () => {
    const { root } = await project({ commit: true })

    await runScript(root, 'train.mjs', training)

    const rows = await queryRows<CheckpointRow>(root, checkpointsSql)
    const saved = (object: string) => {
      const row = rows.find((r) => r.iteration === 2 && r.point === 'end' && r.object === object)

      return loadObject(join(root, '.flordb', row!.location))
    }

    class Model {
      w = [99]
      steps = 99
      stale = true
      predict() {
        return this.w[0]
      }
    }

    const model = new Model()
    const history = [7, 7, 7, 7]
    const counts = new Map<string, unknown>([['stale', 1]])
    const seen = new Set([42])
    const weights = new Float32Array([9, 9, 9])
    let loaded: unknown
    const optimizer = {
      stateDict: () => ({}),
      loadStateDict: (state: unknown) => {
        loaded = state
      },
    }
    const targets = { model, history, counts, seen, weights, optimizer }

    for (const [name, target] of Object.entries(targets)) restoreState(target, saved(name))

    expect(model).toBeInstanceOf(Model)
    expect({ ...model }).toEqual({ w: [20], steps: 4 })
    expect(model.predict()).toBe(20)
    expect(history).toEqual([1, 2])
    expect([...counts]).toEqual([
      ['e1', { epoch: 1 }],
      ['e2', { epoch: 2 }],
    ])
    expect([...seen]).toEqual([1, 2])
    expect([...weights]).toEqual([2, 3, 3])
    expect(loaded).toEqual({ lr: 0.1, t: 4 })
    expect(targets.weights).toBe(weights)
  })

  it('restores the state a nested loop left, before the rest of its iteration ran', async () => {
    const { root } = await project({ commit: true })

    await runScript(root, 'train.mjs', training)

    const rows = await queryRows<CheckpointRow>(root, checkpointsSql)
    const row = rows.find(
      (r) => r.iteration === 3 && r.point === 'loop:step:1' && r.object === 'model',
    )
    const model = { w: [0], steps: 0 }

    restoreState(model, loadObject(join(root, '.flordb', row!.location)))

    expect(model).toEqual({ w: [20], steps: 6 })
  })

  it('works with `using` in TypeScript and checkpoints only inside its block', async () => {
    const { root } = await project({ commit: true })

    const run = await runScript(
      root,
      'train.ts',
      `import * as flor from 'flordb'

      const model: { w: number } = { w: 0 }

      function train(): void {
        using _scope = flor.checkpointing({ model }, { epsilon: 1e9 })

        for (const epoch of flor.loop('epoch', [1, 2])) model.w = epoch
      }

      train()
      for (const round of flor.loop('after', [1, 2])) model.w = 100 + round
      flor.log('w', model.w)
      `,
    )

    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)

    const rows = await queryRows<CheckpointRow>(root, checkpointsSql)

    expect(rows.map((row) => `${row.loop}#${row.iteration} ${row.point} ${row.object}`)).toEqual([
      'epoch#1 end model',
      'epoch#2 end model',
    ])
    expect(
      rows.map(
        (row) => (loadObject(join(root, '.flordb', row.location)) as { state: unknown }).state,
      ),
    ).toEqual([{ w: 1 }, { w: 2 }])
    expect(await queryRows(root, 'select value from logs')).toEqual([{ value: 102 }])
  })

  it('warns about values that cannot be checkpointed and keeps training', async () => {
    const { root } = await project({ commit: true })

    const run = await runScript(
      root,
      'train.mjs',
      `import * as flor from 'flordb'

      const model = { w: 0, forward: () => 1 }
      flor.checkpointing({ model, lr: 0.1 }, () => {
        for (const epoch of flor.loop('epoch', [1, 2])) model.w = flor.log('w', epoch)
      })
      console.log('trained')
      `,
    )

    expect(run.status).toBe(0)
    expect(run.stdout).toBe('trained\n')
    expect(run.stderr.match(/flordb: .*/g)).toEqual([
      'flordb: "lr" is not an object, so it cannot be checkpointed and restored in place',
      expect.stringMatching(/^flordb: could not checkpoint "model": .*could not be cloned/),
    ])
    expect(await queryRows(root, "select value from logs where name = 'w'")).toEqual([
      { value: 1 },
      { value: 2 },
    ])
  })
})
