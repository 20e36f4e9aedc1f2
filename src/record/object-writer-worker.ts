import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type MessagePort, workerData } from 'node:worker_threads'

/** What the training thread sends: serialized state to hash and write. */
export interface WriteRequest {
  id: number
  dir: string
  bytes: Uint8Array
}

/** What comes back once the file is in place (or could not be written). */
export interface WriteResult {
  id: number
  hash?: string
  size?: number
  location?: string
  error?: string
}

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array }

// Hashing and writing a checkpoint here leaves the training thread only the
// serializing, the moment the state is taken.
port.on('message', ({ id, dir, bytes }: WriteRequest) => {
  let result: WriteResult

  try {
    const hash = createHash('sha256').update(bytes).digest('hex')
    const location = `objects/${hash.slice(0, 2)}/${hash}`
    const path = join(dir, location)

    if (!existsSync(path)) {
      const temporary = `${path}.${process.pid}.${id}.tmp`

      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(temporary, bytes)
      renameSync(temporary, path)
    }

    result = { id, hash, size: bytes.length, location }
  } catch (error) {
    result = { id, error: (error as Error).message }
  }

  port.postMessage(result)
  Atomics.add(signal, 0, 1)
  Atomics.notify(signal, 0)
})
