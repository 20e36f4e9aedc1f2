import { relative } from 'node:path'

import { ensureExcluded } from '../versions/snapshot.js'
import { flordbFolder, locate, type Location } from './location.js'
import { Run, type RunOptions } from './run.js'
import { replaySettings } from './replay-settings.js'
import { warnOnce } from './warn.js'

/**
 * The process's flordb state: where records go and the run in progress. A run
 * starts at the first record and ends at `commit()`; the next record opens the next.
 */
let location: Location | undefined
let current: Run | undefined
let exitHooks: ((run: Run) => void) | undefined

export function getLocation(): Location {
  if (!location) {
    location = locate()

    const inside = relative(location.root, location.dir)

    // flordb's folder stays out of `git status` through the repository's own
    // exclude file; the user's .gitignore is theirs.
    if (location.repo && inside === flordbFolder) ensureExcluded(location.repo, `/${flordbFolder}/`)
  }

  return location
}

export function currentRun(): Run {
  if (current) return current

  const settings = replaySettings()
  const options: RunOptions = settings
    ? {
        replay: { of: settings.of, from: settings.from, names: settings.names },
        only: new Set(settings.names),
        suppressed: settings.keepPrefix === false,
      }
    : {}

  const location = getLocation()

  if (!location.repo) {
    warnOnce(
      'no-git',
      `flordb: ${location.root} is not in a git repository, so runs are recorded in ${location.dir} without code versions; run "git init" there to version them`,
    )
  }

  current = new Run(location, options)
  exitHooks?.(current)

  return current
}

/** The run in progress, if any, without starting one. */
export const peekRun = (): Run | undefined => current

/** Ends the process's hold on the run in progress: later records open a new one. */
export function detachRun(): Run | undefined {
  const run = current

  current = undefined

  return run
}

/** Called once by the exit handling, which needs to hear about every new run. */
export function onRunStart(hook: (run: Run) => void): void {
  exitHooks = hook
}
