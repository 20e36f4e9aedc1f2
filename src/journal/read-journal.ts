import { readBlock } from './journal-block.js'
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
export function readJournal(data: Buffer | string): JournalContents | undefined {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  const names: string[] = []
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

  let at = 0

  while (at < bytes.length) {
    let end = bytes.indexOf(10, at)

    if (end < 0) end = bytes.length

    const line = bytes.toString('utf8', at, end)

    at = end + 1

    if (line.length === 0) continue

    let item: JournalEntry | ['n', number, string] | ['b', number]

    try {
      item = JSON.parse(line) as typeof item
    } catch {
      continue
    }

    switch (item[0]) {
      case 'b': {
        const block = bytes.subarray(at, at + item[1])

        at += item[1]
        readBlock(
          block,
          (context, name, value) => contents.logs.push(['l', context, names[name]!, 'number', value]),
          (id, parent, name, iteration, value) =>
            contents.contexts.push(['c', id, parent, names[name]!, iteration, value]),
        )
        break
      }
      case 'n':
        names[item[1]] = item[2]
        break
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
