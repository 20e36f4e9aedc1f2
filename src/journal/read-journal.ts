import type { JournalEntry, RunHeader, RunStatus, TimingKind } from './journal-entry.js'

export interface JournalContents {
  header: RunHeader
  contexts: Extract<JournalEntry, { 0: 'c' }>[]
  logs: Extract<JournalEntry, { 0: 'l' }>[]
  /** A replay's recomputed values of names it does not write, for the fidelity check. */
  shadows: Extract<JournalEntry, { 0: 'f' }>[]
  checkpoints: Extract<JournalEntry, { 0: 'k' }>[]
  timings: [TimingKind, number | null, string | null, number][]
  status: RunStatus | undefined
  endedAt: string | undefined
  version: string | null | undefined
  /** True once the run wrote its end mark: nothing more will be appended. */
  ended: boolean
}

/**
 * Parses a journal. A process killed mid-write leaves a partial last line,
 * which is dropped: it is the one flush interval a crash may lose.
 */
export function readJournal(text: string): JournalContents | undefined {
  const lines = text.split('\n')
  const contents: Partial<JournalContents> & Omit<JournalContents, 'header'> = {
    contexts: [],
    logs: [],
    shadows: [],
    checkpoints: [],
    timings: [],
    status: undefined,
    endedAt: undefined,
    version: undefined,
    ended: false,
  }

  for (const line of lines) {
    if (line.length === 0) continue

    let item: JournalEntry

    try {
      item = JSON.parse(line) as JournalEntry
    } catch {
      continue
    }

    switch (item[0]) {
      case 'l':
        contents.logs.push(item)
        break
      case 'f':
        contents.shadows.push(item)
        break
      case 'c':
        contents.contexts.push(item)
        break
      case 'h':
        contents.header = item[1]
        break
      case 'k':
        contents.checkpoints.push(item)
        break
      case 't':
        contents.timings.push([item[1], item[2], item[3], item[4]])
        break
      case 's':
        contents.status = item[1]
        contents.endedAt = item[2]
        break
      case 'v':
        contents.version = item[1]
        break
      case 'e':
        contents.ended = true
        break
    }
  }

  return contents.header ? (contents as JournalContents) : undefined
}
