import { query } from '../read/query.js'
import type { SqlValue } from '../store/backend.js'
import type { Output } from './output.js'

/** `flordb query "select …" --param 3`: read-only SQL, parameters bound. */
export async function queryCommand(sql: string, params: readonly string[]): Promise<Output> {
  return { kind: 'rows', rows: await query(sql, params.map(parseParam)) }
}

// A parameter is JSON when it reads as JSON (3, true, null, "x"), else the text as given.
function parseParam(text: string): SqlValue {
  try {
    const value = JSON.parse(text) as unknown

    return typeof value === 'object' && value !== null ? text : (value as SqlValue)
  } catch {
    return text
  }
}
