import { readdirSync, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join } from 'node:path'

import type { Backend } from '../store/backend.js'
import { glanceJournal } from './glance-journal.js'
import { ingestJournal } from './ingest-journal.js'
import { readJournal } from './read-journal.js'

export const journalsFolder = 'runs'

/** Where a journal sits inside a snapshot, wherever flordb's folder is on disk. */
export const journalPathInGit = (path: string): string =>
  `.flordb/${journalsFolder}/${basename(path)}`

/**
 * Brings the store up to date with the journals on disk: runs that ended but
 * were never indexed (a process that exited in a hurry), and runs whose process
 * died without ending them, which are marked `interrupted`. Runs still going
 * are left for later: their records become visible at their commit.
 */
export async function catchUp(backend: Backend, dir: string): Promise<number> {
  const folder = join(dir, journalsFolder)
  let files: string[]

  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.jsonl'))
  } catch {
    return 0
  }

  if (files.length === 0) return 0

  const known = new Set(
    (await backend.all<{ path: string }>('select path from journals')).map((row) => row.path),
  )
  let added = 0

  for (const file of files.sort()) {
    const key = `${journalsFolder}/${file}`

    if (known.has(key)) continue

    const path = join(folder, file)
    const { header, ended } = glanceJournal(path)

    // A replay's journal is indexed by the replay that ran it, once it knows
    // the job succeeded; a failed job's partial records must never join the run.
    if (!header || header.replay) continue

    if (!ended && isAlive(header.runtime.hostname, header.runtime.pid)) continue

    const journal = readJournal(readFileSync(path))

    if (!journal) continue

    const result = await ingestJournal(backend, journal, { key, status: 'interrupted' })

    if (result === 'ingested') added++
  }

  return added
}

function isAlive(host: string, pid: number): boolean {
  // A process on another machine cannot be asked; its run is left alone.
  if (host !== hostname()) return true

  try {
    process.kill(pid, 0)

    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
