import { catchUp } from '../journal/catch-up.js'
import type { Location } from '../record/location.js'
import { getLocation } from '../record/session.js'
import type { Backend } from '../store/backend.js'
import { openBackend } from '../store/open-backend.js'

const opened = new Map<string, Promise<Backend>>()

/**
 * The store of a location, opened once per process and brought up to date with
 * the journals on disk before every read, so a reader sees each committed run.
 */
export async function openStore(location: Location = getLocation()): Promise<Backend> {
  let backend = opened.get(location.dir)

  if (!backend) {
    backend = openBackend(location.dir)
    opened.set(location.dir, backend)
    backend.catch(() => opened.delete(location.dir))
  }

  const store = await backend

  await catchUp(store, location.dir)

  return store
}

/** Closes every store this process opened; the CLI calls it before it exits. */
export async function closeStores(): Promise<void> {
  const stores = [...opened.values()]

  opened.clear()
  await Promise.all(stores.map(async (store) => (await store).close()))
}
