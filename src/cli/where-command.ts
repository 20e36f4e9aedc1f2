import { whereLogged } from '../context/where-logged.js'
import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import type { Output } from './output.js'

/** `flordb where loss`: the files and lines that log a name, now and in each recorded version. */
export async function whereCommand(name: string): Promise<Output> {
  const location = getLocation()
  const found = await whereLogged(await openStore(location), location, name)

  if (found.length === 0) {
    return {
      kind: 'text',
      text: `nothing logs "${name}", in the current code or in a recorded version`,
      json: [],
    }
  }

  return {
    kind: 'rows',
    rows: found.map((at) => ({
      version: at.version === 'current' ? 'current' : at.version.slice(0, 10),
      file: at.file,
      line: at.line,
      statement: at.statement.trim(),
      runs: at.runs.length,
    })),
    json: found,
  }
}
