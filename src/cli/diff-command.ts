import { diffRuns } from '../context/diff-runs.js'
import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import type { Output } from './output.js'

/** `flordb diff <run> <run>`: the args and code that changed between two runs. */
export async function diffCommand(a: string, b: string): Promise<Output> {
  const location = getLocation()
  const diff = await diffRuns(await openStore(location), location, a, b)
  const lines = [
    `from ${diff.from.tstamp}  ${diff.from.filename}  ${diff.from.version?.slice(0, 10) ?? 'unversioned'}`,
    `to   ${diff.to.tstamp}  ${diff.to.filename}  ${diff.to.version?.slice(0, 10) ?? 'unversioned'}`,
    '',
    diff.args.length === 0 ? 'run-level values: the same' : 'run-level values:',
    ...diff.args.map((arg) => `  ${arg.name}: ${JSON.stringify(arg.from)} -> ${JSON.stringify(arg.to)}`),
    '',
    diff.code === '' ? 'code: the same' : diff.code.trimEnd(),
  ]

  return { kind: 'text', text: lines.join('\n'), json: diff }
}
