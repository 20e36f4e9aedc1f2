import { appendFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { flordbCli, project, queryRows, startScript } from '../helpers/run-script.js'

// Prints each step after logging it, with the time, until it is killed.
const endlessTraining = `import * as flor from 'flordb'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
function* forever() {
  for (let i = 1; ; i++) yield i
}

flor.log('lr', 0.1)
for (const step of flor.loop('step', forever())) {
  flor.log('loss', step)
  console.log(step + ' ' + Date.now())
  await sleep(5)
}
`

const printedSteps = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number) as [number, number])

const waitFor = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 30_000

  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)

    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('journal recovery', () => {
  it('recovers a run killed with SIGKILL up to its last flush, as interrupted', async () => {
    const { root } = await project({ commit: true })
    const script = startScript(root, 'train.mjs', endlessTraining)

    await waitFor(() => {
      const first = printedSteps(script.stdout())[0]

      return first !== undefined && Date.now() - first[1] > 1500
    }, '1.5 s of training')

    const killedAt = Date.now()

    script.child.kill('SIGKILL')

    const result = await script.done
    const printed = printedSteps(result.stdout)
    const stat = await flordbCli(root, 'stat', '--format', 'json')

    expect(result.signal).toBe('SIGKILL')
    expect(stat.stderr).toBe('')
    expect(JSON.parse(stat.stdout)).toMatchObject({ runs: { interrupted: 1 } })

    const losses = (
      await queryRows<{ value: number }>(
        root,
        "select value from logs where name = 'loss' order by seq",
      )
    ).map((row) => row.value)
    const flushedBefore = printed.filter(([, at]) => at <= killedAt - 1000).map(([step]) => step)

    expect(flushedBefore.length).toBeGreaterThan(0)
    expect(losses.length).toBeGreaterThanOrEqual(flushedBefore.length)
    expect(losses.length).toBeLessThanOrEqual(printed.length)
    expect(losses).toEqual(losses.map((_, i) => i + 1))
    expect(
      await queryRows(root, "select count(*) as n from logs where name = 'lr' and ctx_id is null"),
    ).toEqual([{ n: 1 }])
    expect(await queryRows(root, 'select status, ended_at from runs')).toEqual([
      { status: 'interrupted', ended_at: null },
    ])
  })

  it('keeps what an idle server logged outside any loop when it is killed', async () => {
    const { root } = await project({ commit: true })
    const script = startScript(
      root,
      'server.mjs',
      `import * as flor from 'flordb'

      flor.log('label', 'saved')
      flor.log('count', 1)
      console.log('logged')
      setInterval(() => {}, 1000)
      `,
    )

    await waitFor(() => script.stdout().includes('logged'), 'the labels')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    script.child.kill('SIGKILL')
    await script.done

    expect(
      await queryRows(
        root,
        'select r.status, l.name, l.value from runs r join logs l using (run_id) order by l.seq',
      ),
    ).toEqual([
      { status: 'interrupted', name: 'label', value: 'saved' },
      { status: 'interrupted', name: 'count', value: 1 },
    ])
  })

  it('drops a torn last line of a killed run and keeps the lines before it', async () => {
    const { root } = await project({ commit: true })
    const script = startScript(root, 'train.mjs', endlessTraining)

    await waitFor(() => printedSteps(script.stdout()).length > 60, '60 steps')
    script.child.kill('SIGKILL')
    await script.done

    const folder = join(root, '.flordb', 'runs')
    const [journal] = readdirSync(folder)

    appendFileSync(join(folder, journal!), '["l",null,"torn","number",12')

    const stat = await flordbCli(root, 'stat', '--format', 'json')
    const names = await queryRows<{ name: string }>(root, 'select distinct name from logs')

    expect(stat.status).toBe(0)
    expect(JSON.parse(stat.stdout)).toMatchObject({ runs: { interrupted: 1 } })
    expect(names.map((row) => row.name).sort()).toEqual(['loss', 'lr'])
  })

  it('leaves the journal of a run still going alone and indexes it once it ends', async () => {
    const { root } = await project({ commit: true })
    const script = startScript(
      root,
      'server.mjs',
      `import * as flor from 'flordb'

      flor.log('label', 'first')
      console.log('logged')
      await new Promise((resolve) => setTimeout(resolve, 1500))
      flor.log('label', 'second')
      `,
    )

    await waitFor(() => script.stdout().includes('logged'), 'the first label')

    const during = await queryRows(root, 'select count(*) as n from runs')
    const result = await script.done

    expect(result.status).toBe(0)
    expect(during).toEqual([{ n: 0 }])
    expect(
      await queryRows(
        root,
        'select r.status, l.value from runs r join logs l using (run_id) order by l.seq',
      ),
    ).toEqual([
      { status: 'committed', value: 'first' },
      { status: 'committed', value: 'second' },
    ])
  })
})
