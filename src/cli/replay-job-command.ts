import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import type { EmittedJob } from '../replay/emit-makefile.js'
import { runReplayJob } from '../replay/run-replay-job.js'
import type { Output } from './output.js'

/** `flordb replay-job <file>`: one job of an emitted plan, as an external scheduler runs it. */
export async function replayJobCommand(file: string): Promise<Output> {
  const { job, from, links } = JSON.parse(readFileSync(file, 'utf8')) as EmittedJob
  const location = getLocation()
  const scratch = mkdtempSync(join(tmpdir(), 'flordb-replay-'))
  const children = new Set<ChildProcess>()

  try {
    const result = await runReplayJob(job, { store: await openStore(location), location, scratch, from, children, links })

    if (!result.ok) process.exitCode = 7

    return {
      kind: 'text',
      text: result.ok ? `ok ${job.id}: ${result.records} record(s)` : `FAILED ${job.id}\n${result.error ?? ''}`,
      json: result,
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
