import { LoopFrame } from './loop-frame.js'
import { warnOnce } from './warn.js'

/**
 * Iterates `items` with a loop context per iteration: records logged in the
 * body carry the loop's name, the 1-based iteration and the item. Loops nest
 * by how the code runs, and an async iterable gives an async loop.
 *
 * ```ts
 * for (const epoch of flor.loop('epoch', range(10))) {
 *   for (const batch of flor.loop('step', batches)) flor.log('loss', train(batch))
 * }
 * ```
 */
export function loop<T>(name: string, items: Iterable<T>): Generator<T, void, undefined>
export function loop<T>(name: string, items: AsyncIterable<T>): AsyncGenerator<T, void, undefined>
export function loop<T>(
  name: string,
  items: Iterable<T> | AsyncIterable<T>,
): Generator<T, void, undefined> | AsyncGenerator<T, void, undefined> {
  const loopName = checkedLoopName(name)

  if (items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') {
    return syncLoop(loopName, items as Iterable<T>)
  }

  if (items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
    return asyncLoop(loopName, items as AsyncIterable<T>)
  }

  throw new TypeError(`flor.loop("${loopName}", …) needs an iterable or async iterable, got ${typeof items}`)
}

function* syncLoop<T>(name: string, items: Iterable<T>): Generator<T, void, undefined> {
  const frame = new LoopFrame(name)

  if (frame.replaced()) return

  try {
    for (const item of items) {
      if (!frame.admits()) continue

      frame.begin(item)
      yield item
      frame.end()
    }
  } finally {
    frame.exit()
  }
}

async function* asyncLoop<T>(name: string, items: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const frame = new LoopFrame(name)

  if (frame.replaced()) return

  try {
    for await (const item of items) {
      if (!frame.admits()) continue

      frame.begin(item)
      yield item
      frame.end()
    }
  } finally {
    frame.exit()
  }
}

const reservedLoopNames = new Set(['projid', 'tstamp', 'filename'])

function checkedLoopName(name: unknown): string {
  const text = typeof name === 'string' && name.length > 0 ? name : String(name) || 'loop'

  if (text !== name) warnOnce(`loop:${text}`, `flordb: loop names are non-empty strings; ${JSON.stringify(name)} was used as "${text}"`)

  if (reservedLoopNames.has(text)) {
    warnOnce(`loop-reserved:${text}`, `flordb: a loop named "${text}" shadows a column every record has; rename the loop`)
  }

  return text
}
