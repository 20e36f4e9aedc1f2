import { performance } from 'node:perf_hooks'

import {
  activeScope,
  restoreCheckpoint,
  shouldCheckpoint,
  takeCheckpoint,
  type CheckpointScope,
} from './checkpointing.js'
import { contextStorage, newContext, type LoopContext } from './loop-context.js'
import { checkpointKey, replaySettings, type ReplaySettings } from './replay-settings.js'
import { currentRun, peekRun } from './session.js'
import { endReplay } from './commit.js'

/**
 * One execution of one loop: opens a context per iteration, times what replay
 * needs timed, takes checkpoints where the scope says, and, in a replaying
 * process, skips or restores what the plan lets it. It writes to whichever run
 * is current at the time: a `commit()` in the loop's body starts a new run,
 * which the rest of the loop belongs to.
 *
 * TODO: a sync loop entered by concurrent async functions before their first
 * `await` enters its context in their shared caller's async context, so the
 * second function's loop nests under the first's. Async loops do not have this
 * problem; a sync loop in such code needs `flor.iteration` around each task.
 */
export class LoopFrame {
  readonly #name: string
  readonly #parent: LoopContext | undefined
  readonly #depth: number
  readonly #scope: CheckpointScope | undefined
  readonly #replay: ReplaySettings | null
  readonly #startedAt: number
  #open: LoopContext | undefined
  #openedAt = 0
  #spentAtOpen = 0
  #lastCheckpointed: LoopContext | undefined
  #lastEnded: LoopContext | undefined
  #iteration = 0

  constructor(name: string) {
    this.#name = name
    this.#parent = contextStorage.getStore()
    this.#depth = this.#parent ? this.#parent.depth + 1 : 0
    this.#scope = activeScope()
    this.#replay = replaySettings()
    this.#startedAt = performance.now()

    const run = currentRun()

    if (this.#depth === 0 && run.firstLoopAt === undefined) {
      run.firstLoopAt = this.#startedAt
      run.timing('prefix', undefined, null, this.#startedAt)
    }

    // Replaying a statement that sits before the main loop needs nothing past here.
    if (this.#depth === 0 && this.#replay?.strategy === 'prefix') endReplay()
  }

  /**
   * Whether the loop's next item runs. False skips it without opening a
   * context: replay passing over iterations it restores instead of running.
   */
  admits(): boolean {
    this.#iteration++

    const replay = this.#replay

    if (this.#depth !== 0 || !replay || replay.loop !== this.#name) return true

    if (replay.strategy === 'suffix') return false

    if (replay.strategy !== 'nested') return true

    const from = replay.restoreFrom ?? 0
    const last = replay.iterations?.at(-1) ?? Infinity

    if (this.#iteration > last) endReplay()

    if (this.#iteration <= from) return false

    if (this.#iteration === from + 1 && from > 0) this.#restore(from, 'end')

    currentRun().suppressed = !(replay.iterations ?? []).includes(this.#iteration)

    return true
  }

  /**
   * Whether the whole loop can be skipped: in a replay of a statement in the
   * outer loop's body, a loop nested in it is replaced by the state it left.
   */
  replaced(): boolean {
    const replay = this.#replay
    const parent = this.#parent

    if (replay?.strategy !== 'outer' || this.#depth !== 1 || !this.#scope || !parent) return false

    const k = (parent.finishedLoops?.get(this.#name) ?? 0) + 1
    const files = replay.checkpoints[checkpointKey(parent.name, parent.iteration, `loop:${this.#name}:${k}`)]

    // Without a saved state the loop runs for real: slower, equally exact.
    if (!files) return false

    restoreCheckpoint(this.#scope, files)
    this.#countFinished(parent)

    return true
  }

  begin(item: unknown): void {
    const context = newContext(this.#parent, this.#name, this.#iteration, item)

    contextStorage.enterWith(context)
    this.#open = context

    if (this.#timed(context)) {
      this.#openedAt = performance.now()
      this.#spentAtOpen = this.#scope?.spentMs ?? 0
    }
  }

  end(): void {
    const context = this.#open

    if (!context) return

    this.#open = undefined
    this.#lastEnded = context

    if (this.#timed(context)) {
      const scope = this.#scope
      const elapsed = performance.now() - this.#openedAt
      const compute = elapsed - ((scope?.spentMs ?? 0) - this.#spentAtOpen)

      if (context.depth === 0) peekRun()?.timing('iteration', context, this.#name, elapsed)

      if (scope && context.depth === scope.depth) {
        scope.computeMs += compute

        if (shouldCheckpoint(scope, false)) {
          takeCheckpoint(currentRun(), scope, context, 'end')
          this.#lastCheckpointed = context
        }
      }
    }

    peekRun()?.journal.tick()
  }

  exit(): void {
    this.end()

    const last = this.#lastEnded

    contextStorage.enterWith(this.#parent)

    const scope = this.#scope
    const now = performance.now()

    // The last iteration's state is always kept: it is where a later run resumes.
    if (scope && this.#depth === scope.depth && last && this.#lastCheckpointed !== last) {
      takeCheckpoint(currentRun(), scope, last, 'end')
    }

    if (scope && this.#parent && this.#depth === scope.depth + 1) {
      const k = this.#countFinished(this.#parent)

      if (shouldCheckpoint(scope, false)) {
        takeCheckpoint(currentRun(), scope, this.#parent, `loop:${this.#name}:${k}`)
      }
    }

    if (this.#depth <= 1) peekRun()?.timing('loop', this.#parent, this.#name, now - this.#startedAt)

    if (this.#depth === 0) {
      const run = peekRun()

      if (run) {
        run.lastLoopEndedAt = now
        run.suppressed = false
      }

      if (this.#replay?.strategy === 'suffix' && this.#replay.loop === this.#name) {
        this.#restore(this.#replay.restoreFrom ?? 0, 'end')
      }
    }
  }

  #timed(context: LoopContext): boolean {
    return context.depth === 0 || context.depth === this.#scope?.depth
  }

  #countFinished(parent: LoopContext): number {
    parent.finishedLoops ??= new Map()

    const k = (parent.finishedLoops.get(this.#name) ?? 0) + 1

    parent.finishedLoops.set(this.#name, k)

    return k
  }

  #restore(iteration: number, point: string): void {
    const key = checkpointKey(this.#name, iteration, point)
    const files = this.#replay?.checkpoints[key]

    if (!files || !this.#scope) throw new Error(`replay needs the saved state ${key}, which this run does not have`)

    restoreCheckpoint(this.#scope, files)
  }
}
