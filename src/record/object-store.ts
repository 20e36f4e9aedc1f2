import { readFileSync } from 'node:fs'
import { deserialize, serialize } from 'node:v8'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'

import type { WriteRequest, WriteResult } from './object-writer-worker.js'

export interface SavedObject {
  hash: string
  size: number
  /** Relative to flordb's folder, so a store moved with its folder still finds it. */
  location: string
}

interface WriterThread {
  thread: Worker
  port: MessagePort
  /** Counts the results the worker has posted, so a blocked thread can wait for the next. */
  signal: Int32Array
}

interface Pending {
  saved: (object: SavedObject) => void
  failed: (message: string) => void
}

/** How long a closing run waits for its checkpoints to reach the disk. */
const drainTimeoutMs = 120_000

/**
 * Checkpoints are content-addressed files: an unchanged object costs no disk,
 * and a file is renamed into place whole, so a crash never leaves half of one.
 *
 * Only serializing blocks the training loop: it is the moment the state is
 * taken. The bytes move (not copied) to a worker thread that hashes and writes
 * them while training goes on, even in a loop that never yields to the event
 * loop; a run waits for them when it closes, synchronously if it must.
 */
export class ObjectWriter {
  readonly #dir: string
  readonly #pending = new Map<number, Pending>()
  #next = 0
  #worker: WriterThread | undefined
  #idle: (() => void)[] = []

  constructor(dir: string) {
    this.#dir = dir
  }

  save(
    state: unknown,
    saved: (object: SavedObject) => void,
    failed: (message: string) => void,
  ): void {
    const serialized = serialize(state)
    // A buffer that shares its memory cannot be moved; the copy is rare.
    const bytes =
      serialized.byteOffset === 0 && serialized.byteLength === serialized.buffer.byteLength
        ? serialized
        : Uint8Array.prototype.slice.call(serialized)
    const worker = this.#start()
    const id = this.#next++
    const request: WriteRequest = { id, dir: this.#dir, bytes }

    if (this.#pending.size === 0) this.#hold(worker, true)

    this.#pending.set(id, { saved, failed })
    worker.port.postMessage(request, [bytes.buffer as ArrayBuffer])
  }

  drain(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve()

    return new Promise((resolve) => this.#idle.push(resolve))
  }

  /** Waits for every write in this thread: at process exit, where nothing async runs any more. */
  drainSync(): void {
    const worker = this.#worker
    const deadline = Date.now() + drainTimeoutMs

    while (worker && this.#pending.size > 0 && Date.now() < deadline) {
      const seen = Atomics.load(worker.signal, 0)
      const message = receiveMessageOnPort(worker.port)

      if (message) this.#settle(message.message as WriteResult)
      else Atomics.wait(worker.signal, 0, seen, 50)
    }

    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id)
      pending.failed('the checkpoint was not written before the process ended')
    }
  }

  #start(): WriterThread {
    if (this.#worker) return this.#worker

    const { port1, port2 } = new MessageChannel()
    const signal = new Int32Array(new SharedArrayBuffer(4))
    const thread = new Worker(new URL('./object-writer-worker.js', import.meta.url), {
      workerData: { port: port2, signal },
      transferList: [port2],
    })

    port1.on('message', (result: WriteResult) => this.#settle(result))
    thread.on('error', (error) => {
      for (const [id, pending] of this.#pending) {
        this.#pending.delete(id)
        pending.failed(error.message)
      }

      this.#worker = undefined
      this.#wake()
    })
    this.#worker = { thread, port: port1, signal }
    this.#hold(this.#worker, false)

    return this.#worker
  }

  // The worker keeps the process alive only while it has writes to finish.
  #hold(worker: WriterThread, busy: boolean): void {
    if (busy) {
      worker.thread.ref()
      worker.port.ref()
    } else {
      worker.thread.unref()
      worker.port.unref()
    }
  }

  #settle(result: WriteResult): void {
    const pending = this.#pending.get(result.id)

    if (!pending) return

    this.#pending.delete(result.id)

    if (result.error !== undefined || result.hash === undefined)
      pending.failed(result.error ?? 'unknown error')
    else pending.saved({ hash: result.hash, size: result.size!, location: result.location! })

    if (this.#pending.size === 0) this.#wake()
  }

  #wake(): void {
    if (this.#worker) this.#hold(this.#worker, false)

    for (const resolve of this.#idle.splice(0)) resolve()
  }
}

export function loadObject(path: string): unknown {
  return deserialize(readFileSync(path))
}
