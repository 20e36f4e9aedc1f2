import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import type { Output } from './output.js'

/** `flordb stat`: where the store is and what it holds. */
export async function statCommand(): Promise<Output> {
  const location = getLocation()
  const store = await openStore(location)
  const runs = await store.all<{ status: string; n: number }>(
    'select status, count(*) as n from runs where projid = ? group by status order by status',
    [location.projid],
  )
  const names = await store.all<{ name: string; records: number; runs: number }>(
    `select l.name, count(*) as records, count(distinct l.run_id) as runs
     from logs l join runs r on r.run_id = l.run_id where r.projid = ?
     group by l.name order by l.name`,
    [location.projid],
  )
  const latest = await store.all<{ tstamp: string; filename: string; status: string }>(
    'select tstamp, filename, status from runs where projid = ? order by tstamp desc limit 5',
    [location.projid],
  )
  const summary = {
    projid: location.projid,
    store: store.location,
    versioned: location.repo !== null,
    runs: Object.fromEntries(runs.map((row) => [row.status, row.n])),
    names,
    latest,
  }
  const lines = [
    `projid    ${summary.projid}`,
    `store     ${summary.store}${summary.versioned ? '' : ' (not in git: runs are not versioned)'}`,
    `runs      ${runs.map((row) => `${row.n} ${row.status}`).join(', ') || 'none'}`,
    `names     ${names.map((row) => `${row.name} (${row.records})`).join(', ') || 'none'}`,
    ...latest.map((row, index) => `${index === 0 ? 'latest' : '      '}    ${row.tstamp}  ${row.filename}  ${row.status}`),
  ]

  return { kind: 'text', text: lines.join('\n'), json: summary }
}
