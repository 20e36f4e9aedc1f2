import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { deserialize, serialize } from 'node:v8'

export const objectsFolder = 'objects'

export interface SavedObject {
  hash: string
  size: number
  /** Relative to flordb's folder, so a store moved with its folder still finds it. */
  location: string
}

/**
 * Checkpoints are content-addressed files: an unchanged object costs no disk,
 * and a file is renamed into place whole, so a crash never leaves half of one.
 */
export function saveObject(dir: string, state: unknown): SavedObject {
  const bytes = serialize(state)
  const hash = createHash('sha256').update(bytes).digest('hex')
  const location = join(objectsFolder, hash.slice(0, 2), hash)
  const path = join(dir, location)

  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true })

    const temporary = `${path}.${process.pid}.tmp`

    writeFileSync(temporary, bytes)
    renameSync(temporary, path)
  }

  return { hash, size: bytes.length, location: location.split('\\').join('/') }
}

export function loadObject(path: string): unknown {
  return deserialize(readFileSync(path))
}
