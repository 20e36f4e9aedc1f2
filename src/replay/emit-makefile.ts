import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Location } from '../record/location.js'
import { snapshot } from '../versions/snapshot.js'
import type { ReplayJob, ReplayPlan } from './replay-plan.js'

/** A job written out for an external scheduler, with the version its statements came from. */
export interface EmittedJob {
  job: ReplayJob
  from: string | null
  links?: readonly string[]
}

const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url))

/**
 * Writes a plan as a Makefile whose targets are independent jobs, so `make -j`
 * or a cluster's queue can run them; each target runs `flordb replay-job`.
 */
export async function emitMakefile(
  location: Location,
  plan: ReplayPlan,
  links: readonly string[] = [],
): Promise<string> {
  const folder = join(location.dir, 'replay', new Date().toISOString().replaceAll(':', '-'))
  const from = location.repo
    ? (await snapshot(location.repo, { message: `flordb: replay of ${plan.names.join(', ')}` })).commit
    : null
  const targets: string[] = []

  mkdirSync(folder, { recursive: true })

  for (const [index, job] of plan.jobs.entries()) {
    const file = join(folder, `job-${index + 1}.json`)
    const emitted: EmittedJob = { job, from, links }

    writeFileSync(file, JSON.stringify(emitted))
    targets.push(`job-${index + 1}:\n\t${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} replay-job ${JSON.stringify(relative(location.root, file))}\n`)
  }

  const makefile = join(folder, 'Makefile')
  const all = plan.jobs.map((_, index) => `job-${index + 1}`).join(' ')

  writeFileSync(
    makefile,
    [
      `# Replay of ${plan.names.join(', ')}: ${plan.jobs.length} independent jobs.`,
      `# Run from ${location.root}: make -f ${relative(location.root, makefile)} -j<workers>`,
      `.PHONY: all ${all}`,
      `all: ${all}`,
      '',
      ...targets,
    ].join('\n'),
  )

  return makefile
}
