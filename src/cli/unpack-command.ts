import { FlorError } from '../errors.js'
import { ingestJournal } from '../journal/ingest-journal.js'
import { readJournal } from '../journal/read-journal.js'
import { openStore } from '../read/open-store.js'
import { getLocation } from '../record/session.js'
import { listSnapshots, readFileAt } from '../versions/history.js'
import type { Output } from './output.js'

/**
 * `flordb unpack`: rebuilds the store from git alone. Every snapshot holds its
 * run's journal, so the snapshots' history is the whole record.
 */
export async function unpackCommand(): Promise<Output> {
  const location = getLocation()
  const repo = location.repo

  if (!repo) {
    throw new FlorError('E_NOT_A_REPO', `${location.root} is not in a git repository, so there is no history to unpack`)
  }

  const store = await openStore(location)
  let added = 0
  let seen = 0

  for (const snapshot of await listSnapshots(repo)) {
    for (const path of snapshot.files) {
      const match = /^\.flordb\/(runs\/[^/]+\.jsonl)$/.exec(path)

      if (!match) continue

      const journal = readJournal(await readFileAt(repo, snapshot.commit, path))

      if (!journal) continue

      seen++

      const result = await ingestJournal(store, journal, {
        key: match[1]!,
        status: 'committed',
        version: snapshot.commit,
      })

      if (result === 'ingested') added++
    }
  }

  return {
    kind: 'text',
    text: `unpacked ${added} run(s) from ${seen} journal(s) in git into ${store.location}`,
    json: { added, journals: seen, store: store.location },
  }
}
