import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { FlorError } from '../errors.js'
import type { Location } from '../record/location.js'
import { findLogStatements } from '../replay/discover.js'
import type { Backend } from '../store/backend.js'
import { readFileAt } from '../versions/history.js'
import { runGit, stdoutText } from '../versions/run-git.js'

export interface LoggedAt {
  /** 'current' for the working tree, else the snapshot commit of a recorded version. */
  version: string
  file: string
  line: number
  statement: string
  /** Runs of that version that hold values for the name. */
  runs: string[]
}

const sourceFile = /\.(?:[cm]?[jt]s|tsx|jsx)$/

/**
 * Where `name` is logged: in the current code, and in each recorded version
 * with the runs that hold values for it — a colleague's answer to "where does
 * this column come from", from flordb alone.
 */
export async function whereLogged(store: Backend, location: Location, name: string): Promise<LoggedAt[]> {
  const repo = location.repo

  if (!repo) throw new FlorError('E_NOT_A_REPO', `${location.root} is not in a git repository: there are no versions to search`)

  const found: LoggedAt[] = []
  const listed = await runGit({ args: ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd: repo.root })

  for (const file of stdoutText(listed).split('\0').filter((path) => sourceFile.test(path))) {
    let source: string

    try {
      source = readFileSync(join(repo.root, file), 'utf8')
    } catch {
      continue
    }

    if (!source.includes(name)) continue

    for (const statement of findLogStatements(source, file).statements) {
      if (statement.name === name) {
        found.push({ version: 'current', file, line: statement.line, statement: statement.text, runs: [] })
      }
    }
  }

  const versions = await store.all<{ version: string; filename: string; runs: string; has: number }>(
    `select r.version, r.filename, group_concat(r.tstamp, ' ') as runs,
       max(exists (select 1 from logs l where l.run_id = r.run_id and l.name = ?)) as has
     from runs r where r.projid = ? and r.version is not null
     group by r.version, r.filename order by min(r.tstamp)`,
    [name, location.projid],
  )

  for (const row of versions) {
    let source: string

    try {
      source = (await readFileAt(repo, row.version, row.filename)).toString('utf8')
    } catch {
      continue
    }

    const holders = row.has
      ? await store.all<{ tstamp: string }>(
          `select distinct r.tstamp from runs r join logs l on l.run_id = r.run_id
           where r.version = ? and r.filename = ? and l.name = ? order by r.tstamp`,
          [row.version, row.filename, name],
        )
      : []

    for (const statement of findLogStatements(source, row.filename).statements) {
      if (statement.name !== name) continue

      found.push({
        version: row.version,
        file: row.filename,
        line: statement.line,
        statement: statement.text,
        runs: holders.map((holder) => holder.tstamp),
      })
    }

    // Values without a statement in the version's code came from a replay.
    if (holders.length > 0 && !found.some((at) => at.version === row.version)) {
      found.push({ version: row.version, file: row.filename, line: 0, statement: '(replayed)', runs: holders.map((holder) => holder.tstamp) })
    }
  }

  return found
}
