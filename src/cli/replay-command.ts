import { createInterface } from 'node:readline/promises'

import cliProgress from 'cli-progress'

import { FlorError } from '../errors.js'
import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import { emitMakefile } from '../replay/emit-makefile.js'
import { planReplay } from '../replay/plan-replay.js'
import type { ReplayPlan } from '../replay/replay-plan.js'
import { replay } from '../replay/replay.js'
import type { JobResult } from '../replay/run-replay-job.js'
import type { Output } from './output.js'

export interface ReplayFlags {
  where?: string
  yes?: boolean
  dryRun?: boolean
  emit?: string
  jobs?: number
  link?: string[]
}

/** `flordb replay grad_norm --where "lr > 0.01"`: plan, confirm, run with a progress bar. */
export async function replayCommand(names: readonly string[], flags: ReplayFlags): Promise<Output> {
  const wanted = names.flatMap((name) => name.split(',')).map((name) => name.trim()).filter(Boolean)
  const started = performance.now()

  if (flags.dryRun) {
    const location = getLocation()
    const plan = await planReplay(await openStore(location), location, wanted, { where: flags.where, workers: flags.jobs })

    return { kind: 'text', text: JSON.stringify(plan, null, 2), json: plan }
  }

  if (flags.emit !== undefined) {
    if (flags.emit !== 'make') throw new FlorError('E_USAGE', `--emit takes "make", not "${flags.emit}"`)

    const location = getLocation()
    const plan = await planReplay(await openStore(location), location, wanted, { where: flags.where, workers: flags.jobs })
    const makefile = await emitMakefile(location, plan, flags.link)

    return {
      kind: 'text',
      text: `${describePlan(plan)}\nwrote ${makefile}\nrun it with: make -f ${makefile} -j${plan.estimate.workers}`,
      json: { makefile, plan },
    }
  }

  let bar: cliProgress.SingleBar | undefined
  const outcome = await replay(wanted, {
    where: flags.where,
    workers: flags.jobs,
    links: flags.link,
    confirm: async (plan) => {
      process.stderr.write(`${describePlan(plan)}\nplanned in ${((performance.now() - started) / 1000).toFixed(2)} s\n`)

      return plan.jobs.length > 0 && (flags.yes || (await ask(`Replay ${plan.jobs.length} job(s)?`)))
    },
    onEvent: (event) => {
      if (event.kind === 'start') {
        bar = new cliProgress.SingleBar(
          { format: 'replay [{bar}] {value}/{total} jobs | {duration_formatted}', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
        bar.start(event.jobs, 0)
      } else if (event.kind === 'job-end') {
        bar?.increment()
      }
    },
  })

  bar?.stop()

  if (!outcome.ran) {
    return { kind: 'text', text: outcome.plan.jobs.length === 0 ? 'nothing to replay' : 'replay cancelled', json: outcome.plan }
  }

  const failed = outcome.results.filter((result) => !result.ok)
  const report = [
    ...outcome.results.map(describeResult),
    `${outcome.results.length - failed.length} of ${outcome.results.length} job(s) done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    '',
    outcome.frame?.toString() ?? '',
  ].join('\n')

  if (failed.length > 0) process.exitCode = 7

  return { kind: 'text', text: report, json: { plan: outcome.plan, results: outcome.results, frame: outcome.frame?.toRecords() } }
}

function describePlan(plan: ReplayPlan): string {
  const lines = [
    `replay ${plan.names.join(', ')}`,
    ...plan.statements.map((s) => `  ${s.file}:${s.line}  ${s.text.trim()}  [${s.strategy}${s.loops.length ? ` in ${s.loops.join(' > ')}` : ''}]`),
    `${plan.jobs.length} job(s) over ${new Set(plan.jobs.map((job) => job.run.tstamp)).size} run(s), ${plan.estimate.workers} worker(s):`,
    ...plan.jobs.map(
      (job) =>
        `  ${job.run.tstamp}  ${job.run.version.slice(0, 8)}  ${job.strategy}${job.iterations ? ` ${job.loop} ${range(job.iterations)}` : ''}  ~${job.estimate.toFixed(2)} s`,
    ),
    `estimated ${plan.estimate.seconds.toFixed(2)} s (re-running everything: ${plan.estimate.rerunSeconds.toFixed(2)} s)`,
    ...plan.refused.map((r) => `  refused ${r.name} for ${r.tstamp} (${r.version.slice(0, 8)}): ${r.reason}`),
    ...plan.skipped.map((s) => `  skipped ${s.tstamp}: ${s.reason}`),
  ]

  return lines.join('\n')
}

function describeResult(result: JobResult): string {
  const head = `${result.ok ? 'ok    ' : 'FAILED'} ${result.job.id} (${result.seconds.toFixed(1)} s)`

  if (!result.ok) return `${head}\n${errorLines(result.error ?? '').map((line) => `         ${line}`).join('\n')}`

  const fidelity = result.fidelity

  if (!fidelity || fidelity.compared === 0) return `${head}, ${result.records} record(s)`

  if (fidelity.diverged === 0) return `${head}, ${result.records} record(s), faithful: ${fidelity.compared} recomputed value(s) match`

  const first = fidelity.first!

  return `${head}, ${result.records} record(s), NOT FAITHFUL: ${fidelity.diverged} of ${fidelity.compared} recomputed value(s) differ; first at ${first.position}: ${first.name} was ${JSON.stringify(first.recorded)}, replay got ${JSON.stringify(first.replayed)}`
}

/**
 * The part of a failed job's stderr that says what went wrong: the line naming
 * the error, with the code above it and the first frames below. Its last
 * lines alone are mostly stack.
 */
function errorLines(stderr: string): string[] {
  const lines = stderr.trimEnd().split('\n').filter((line) => !/^Node\.js v\d/.test(line))
  const at = lines.findIndex((line) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b/.test(line))

  if (at < 0) return lines.slice(-8)

  return lines.slice(Math.max(0, at - 4), at + 4)
}

const range = (values: readonly number[]): string =>
  values.length === 0 ? '-' : values.length === 1 ? `${values[0]}` : `${values[0]}..${values.at(-1)}`

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new FlorError('E_USAGE', 'replay needs a confirmation; pass --yes to run it without asking')
  }

  const prompt = createInterface({ input: process.stdin, output: process.stderr })

  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim())
  } finally {
    prompt.close()
  }
}
