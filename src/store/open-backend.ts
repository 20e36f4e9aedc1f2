import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import { FlorError } from '../errors.js'
import type { Backend } from './backend.js'
import { SqliteBackend, type SqliteHandle, toFlorError } from './sqlite/sqlite-backend.js'

export const storeFileName = 'store.sqlite'

/**
 * Opens and migrates the store for a flordb folder. FLORDB_DATABASE_URL, when
 * set, points a team at a shared server instead of the repo-local file.
 */
export async function openBackend(dir: string, env = process.env): Promise<Backend> {
  const url = env.FLORDB_DATABASE_URL

  if (url) {
    // TODO: a PostgreSQL backend for teams whose runs span machines; until it
    // exists, a URL here is refused rather than silently ignored.
    throw new FlorError('E_STORE', `FLORDB_DATABASE_URL is set (${url.replace(/:[^:@/]*@/, ':***@')}), but this build of flordb only has the SQLite store`)
  }

  mkdirSync(dir, { recursive: true })

  const location = join(dir, storeFileName)
  const { default: Database } = await import('better-sqlite3')
  let backend: SqliteBackend

  try {
    backend = new SqliteBackend(new Database(location) as unknown as SqliteHandle, location)
  } catch (error) {
    throw toFlorError(error, location)
  }

  try {
    await backend.migrate()
  } catch (error) {
    await backend.close().catch(() => undefined)
    throw error
  }

  return backend
}
