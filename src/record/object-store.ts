import { createHash, randomBytes, webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { access, mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { deserialize, serialize } from 'node:v8'

export const objectsFolder = 'objects'

export interface SavedObject {
  hash: string
  size: number
  /** Relative to flordb's folder, so a store moved with its folder still finds it. */
  location: string
}

interface Pending {
  bytes: Buffer
  saved: (object: SavedObject) => void
  done: boolean
  promise: Promise<void>
}

/**
 * Checkpoints are content-addressed files: an unchanged object costs no disk,
 * and a file is renamed into place whole, so a crash never leaves half of one.
 *
 * Only serializing blocks the training loop: it is the moment the state is
 * taken. Hashing and writing run on libuv's thread pool while training goes
 * on, and a run waits for them when it closes (synchronously, if it must).
 */
export class ObjectWriter {
  readonly #dir: string
  readonly #pending = new Set<Pending>()

  constructor(dir: string) {
    this.#dir = dir
  }

  save(state: unknown, saved: (object: SavedObject) => void): void {
    const item: Pending = { bytes: serialize(state), saved, done: false, promise: Promise.resolve() }

    item.promise = this.#write(item).catch(() => this.#finishSync(item))
    this.#pending.add(item)
  }

  async drain(): Promise<void> {
    await Promise.all([...this.#pending].map((item) => item.promise))
    this.#pending.clear()
  }

  /** Finishes every write in this thread: at process exit, where nothing async runs any more. */
  drainSync(): void {
    for (const item of this.#pending) this.#finishSync(item)

    this.#pending.clear()
  }

  async #write(item: Pending): Promise<void> {
    const digest = await webcrypto.subtle.digest('SHA-256', item.bytes)
    const object = describe(Buffer.from(digest).toString('hex'), item.bytes.length)
    const path = join(this.#dir, object.location)

    if (!(await exists(path))) {
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`

      await mkdir(dirname(path), { recursive: true })
      await writeFile(temporary, item.bytes)
      await rename(temporary, path)
    }

    this.#settle(item, object)
  }

  #finishSync(item: Pending): void {
    if (item.done) return

    const object = describe(createHash('sha256').update(item.bytes).digest('hex'), item.bytes.length)
    const path = join(this.#dir, object.location)

    if (!existsSync(path)) {
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`

      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(temporary, item.bytes)
      renameSync(temporary, path)
    }

    this.#settle(item, object)
  }

  #settle(item: Pending, object: SavedObject): void {
    if (item.done) return

    item.done = true
    item.saved(object)
  }
}

function describe(hash: string, size: number): SavedObject {
  return { hash, size, location: `${objectsFolder}/${hash.slice(0, 2)}/${hash}` }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)

    return true
  } catch {
    return false
  }
}

export function loadObject(path: string): unknown {
  return deserialize(readFileSync(path))
}
