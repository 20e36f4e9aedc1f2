import { contextStorage, type LoopContext } from './loop-context.js'
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

/**
 * An async loop is an iterator, not an async generator: code in a generator
 * runs in its own async context, so the contexts it enters never reach the
 * loop body. Each result enters its context when `for await` reads it, which
 * happens in the body's own async context.
 */
function asyncLoop<T>(name: string, items: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  return new AsyncLoop(name, items) as unknown as AsyncGenerator<T, void, undefined>
}

class AsyncLoop<T> {
  readonly #name: string
  readonly #items: AsyncIterable<T>
  #frame: LoopFrame | undefined
  #iterator: AsyncIterator<T> | undefined
  #parent: LoopContext | undefined
  #finished = false
  #results = 0

  constructor(name: string, items: AsyncIterable<T>) {
    this.#name = name
    this.#items = items
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  async next(): Promise<IteratorResult<T, void>> {
    if (this.#finished) return this.#done()

    // Until the first await, this runs in the caller's context: the loop's parent.
    if (!this.#frame) {
      this.#parent = contextStorage.getStore()
      this.#frame = new LoopFrame(this.#name)

      if (this.#frame.replaced()) return this.#finish()

      this.#iterator = this.#items[Symbol.asyncIterator]()
    } else {
      this.#frame.end()
    }

    const frame = this.#frame

    for (;;) {
      let result: IteratorResult<T>

      try {
        result = await this.#iterator!.next()
      } catch (error) {
        return this.#failed(error)
      }

      if (result.done) return this.#finish()

      if (!frame.admits()) continue

      frame.begin(result.value)

      return this.#entering(contextStorage.getStore(), result.value)
    }
  }

  async return(value?: unknown): Promise<IteratorResult<T, void>> {
    // A `break` or a throw in the body calls this from the body's context.
    const closed = this.#finish()

    await this.#iterator?.return?.(value)

    return closed
  }

  async throw(error: unknown): Promise<IteratorResult<T, void>> {
    this.#finish()
    await this.#iterator?.return?.()

    throw error
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return()
  }

  #entering(context: LoopContext | undefined, value: T): IteratorResult<T, void> {
    const result = ++this.#results
    const enter = () => {
      if (result === this.#results && !this.#finished) contextStorage.enterWith(context)
    }

    return {
      get done(): false {
        enter()
        return false
      },
      get value(): T {
        enter()
        return value
      },
    }
  }

  #finish(): IteratorResult<T, void> {
    if (!this.#finished) {
      this.#finished = true
      this.#frame?.exit()
    }

    return this.#done()
  }

  // The items' own error reaches the body's `for await` through `done`, so the
  // body's context is closed first; a rejected promise would leave it open.
  #failed(error: unknown): IteratorResult<T, void> {
    this.#finish()

    const parent = this.#parent

    return {
      value: undefined,
      get done(): true {
        contextStorage.enterWith(parent)
        throw error
      },
    }
  }

  #done(): IteratorResult<T, void> {
    // A loop closed before its first item has no context to leave.
    if (!this.#frame) return { value: undefined, done: true }

    const parent = this.#parent

    return {
      value: undefined,
      get done(): true {
        contextStorage.enterWith(parent)
        return true
      },
    }
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
