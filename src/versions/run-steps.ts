import { copyFileSync, lstatSync, statSync, utimesSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { copyFile, lstat, stat, utimes } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

import { runGit, runGitSync } from './run-git.js'
import type { GitCommand, GitResult } from './run-git.js'

// A sequence that needs the outside world yields one of these steps and receives its
// result, so the same sequence can be driven synchronously (in an 'exit' handler) or
// asynchronously (in a server) without writing it twice.
export type Step =
  | { readonly kind: 'git'; readonly command: GitCommand }
  | { readonly kind: 'copy'; readonly from: string; readonly to: string }
  | { readonly kind: 'sizes'; readonly paths: readonly string[] }
  | { readonly kind: 'sleep'; readonly ms: number }

export type Steps<T> = Generator<Step, T, unknown>

export const gitStep = function* (command: GitCommand): Steps<GitResult> {
  return (yield { kind: 'git', command }) as GitResult
}

// Keeps the timestamps: git trusts an index's cached stat data only for files older than
// the index file itself, so a fresh mtime would hide edits made just before it was written.
export const copyStep = function* (from: string, to: string): Steps<void> {
  yield { kind: 'copy', from, to }
}

// One entry per path: its size in bytes, or null when it is missing or not a regular file.
export const sizesStep = function* (paths: readonly string[]): Steps<(number | null)[]> {
  return (yield { kind: 'sizes', paths }) as (number | null)[]
}

export const sleepStep = function* (ms: number): Steps<void> {
  yield { kind: 'sleep', ms }
}

export function runStepsSync<T>(steps: Steps<T>): T {
  let next = steps.next()

  while (!next.done) {
    let result: unknown

    try {
      result = performSync(next.value)
    } catch (error) {
      next = steps.throw(error)
      continue
    }

    next = steps.next(result)
  }

  return next.value
}

export async function runSteps<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next()

  while (!next.done) {
    let result: unknown

    try {
      result = await perform(next.value)
    } catch (error) {
      next = steps.throw(error)
      continue
    }

    next = steps.next(result)
  }

  return next.value
}

function performSync(step: Step): unknown {
  switch (step.kind) {
    case 'git':
      return runGitSync(step.command)
    case 'copy': {
      copyFileSync(step.from, step.to)

      const { atime, mtime } = statSync(step.from)

      return utimesSync(step.to, atime, mtime)
    }
    case 'sizes':
      return step.paths.map((path) => fileSize(() => lstatSync(path)))
    case 'sleep':
      // The synchronous driver runs where nothing async can, so it waits by blocking.
      return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, step.ms)
  }
}

async function perform(step: Step): Promise<unknown> {
  switch (step.kind) {
    case 'git':
      return runGit(step.command)
    case 'copy': {
      await copyFile(step.from, step.to)

      const { atime, mtime } = await stat(step.from)

      return utimes(step.to, atime, mtime)
    }
    case 'sizes':
      return sizesAsync(step.paths)
    case 'sleep':
      return sleep(step.ms)
  }
}

async function sizesAsync(paths: readonly string[]): Promise<(number | null)[]> {
  const sizes: (number | null)[] = []

  // Bounded batches: a tree with many new files must not exhaust file descriptors.
  for (let start = 0; start < paths.length; start += 64) {
    const batch = paths.slice(start, start + 64)

    sizes.push(...(await Promise.all(batch.map((path) => fileSizeAsync(path)))))
  }

  return sizes
}

function fileSize(stat: () => Stats): number | null {
  try {
    const stats = stat()

    return stats.isFile() ? stats.size : null
  } catch {
    return null
  }
}

async function fileSizeAsync(path: string): Promise<number | null> {
  try {
    const stats = await lstat(path)

    return stats.isFile() ? stats.size : null
  } catch {
    return null
  }
}
