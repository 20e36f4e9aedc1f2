import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'

import type { RunHeader } from './journal-entry.js'

const endMark = '["e"]\n'

/**
 * A journal's header and whether it has ended, from a few bytes at each end:
 * a reader passes over the journals of runs still going many times, and one
 * can be large.
 */
export function glanceJournal(path: string): { header: RunHeader | undefined; ended: boolean } {
  const fd = openSync(path, 'r')

  try {
    const size = fstatSync(fd).size
    const head = Buffer.alloc(Math.min(size, 16 * 1024))
    const tail = Buffer.alloc(Math.min(size, endMark.length))

    readSync(fd, head, 0, head.length, 0)
    readSync(fd, tail, 0, tail.length, size - tail.length)

    let newline = head.indexOf(10)
    let first = head

    // A header longer than the glance (a very long command line) is read whole.
    if (newline < 0) {
      first = readFileSync(path)
      newline = first.indexOf(10)
    }

    return {
      header: parseHeader(first.toString('utf8', 0, newline < 0 ? first.length : newline)),
      ended: tail.toString('utf8') === endMark,
    }
  } finally {
    closeSync(fd)
  }
}

function parseHeader(line: string): RunHeader | undefined {
  try {
    const entry = JSON.parse(line) as unknown

    return Array.isArray(entry) && entry[0] === 'h' ? (entry[1] as RunHeader) : undefined
  } catch {
    return undefined
  }
}
