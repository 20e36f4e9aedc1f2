#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import { Command, CommanderError, Option } from 'commander'

import { FlorError, type FlorErrorCode } from '../errors.js'
import { closeStores } from '../read/open-store.js'
import type { Output } from './output.js'
import type { ReplayFlags } from './replay-command.js'

// Caches the compiled code of the modules this process loads. The TypeScript
// compiler, which replay and where load, starts about three times as fast.
createRequire(import.meta.url)('v8-compile-cache')

// Warnings on one line each, like the CLI's other messages, not Node's two.
process.removeAllListeners('warning')
process.on('warning', ({ message }) =>
  process.stderr.write(`${message.startsWith('flordb:') ? message : `flordb: warning: ${message}`}\n`),
)

/** Exit codes by kind of mistake, so scripts can tell them apart. */
const exitCodes: Partial<Record<FlorErrorCode, number>> & { default: number } = {
  E_USAGE: 2,
  E_BAD_KWARGS: 2,
  E_BAD_NAME: 2,
  E_RESERVED_NAME: 2,
  E_NOT_A_REPO: 3,
  E_STORE: 4,
  E_STORE_CORRUPT: 4,
  E_STORE_READ_ONLY: 4,
  E_STORE_LOCKED: 4,
  E_BAD_QUERY: 5,
  E_READ_ONLY_QUERY: 5,
  E_GIT: 6,
  E_REPLAY: 7,
  E_NO_SUCH_RUN: 8,
  default: 1,
}

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version

type Format = 'table' | 'csv' | 'json'

const formats: readonly Format[] = ['table', 'csv', 'json']

// Commands load their modules when they run: the replay planner brings the
// TypeScript compiler, which alone takes most of a second to load.
const formatOption = () =>
  new Option('-f, --format <format>', 'output format').choices(formats).default('table')

function program(): Command {
  const cli = new Command('flordb')
    .description('Hindsight logging for machine learning: query what your runs logged, replay old versions to log more.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')

  cli
    .command('dataframe')
    .description('print the dataframe of the named logs (one row per run and loop position)')
    .argument('[names...]', 'log names, separated by commas or spaces; none: one row per run')
    .addOption(formatOption())
    .action(async (names: string[], options: { format: Format }) =>
      print((await import('./dataframe-command.js')).dataframeCommand(names), options.format),
    )

  cli
    .command('query')
    .description('run a read-only SQL query over the store (tables: runs, loops, logs, checkpoints, timings)')
    .argument('<sql>', 'a select statement; use ? for parameters')
    .option('-p, --param <value...>', 'values bound to the ? placeholders, in order (JSON or text)', [])
    .addOption(formatOption())
    .action(async (sql: string, options: { param: string[]; format: Format }) =>
      print((await import('./query-command.js')).queryCommand(sql, options.param), options.format),
    )

  cli
    .command('unpack')
    .description('rebuild the store from the run journals kept in git')
    .addOption(formatOption())
    .action(async (options: { format: Format }) => print((await import('./unpack-command.js')).unpackCommand(), options.format))

  cli
    .command('stat')
    .description('show where the store is and what it holds')
    .addOption(formatOption())
    .action(async (options: { format: Format }) => print((await import('./stat-command.js')).statCommand(), options.format))

  cli
    .command('replay')
    .description('fill in names for past runs: put their new flor.log statements into old versions and replay them')
    .argument('<names...>', 'log names, separated by commas or spaces')
    .option('-w, --where <condition>', 'only runs whose run-level values match, e.g. "lr > 0.01 and epochs = 10"')
    .option('-y, --yes', 'run without asking for confirmation')
    .option('--dry-run', 'print the plan as JSON and run nothing')
    .option('--emit <kind>', 'write the jobs for an external scheduler instead of running them (make)')
    .option('-j, --jobs <n>', 'parallel workers (default: the number of cores)', parsePositive)
    .option('--link <paths...>', 'git-ignored data the old code reads, linked into each replay (e.g. data)')
    .addOption(formatOption())
    .action(async (names: string[], options: ReplayFlags & { format: Format }) =>
      print((await import('./replay-command.js')).replayCommand(names, options), options.format),
    )

  cli
    .command('replay-job', { hidden: true })
    .description('run one job of a plan written by "replay --emit make"')
    .argument('<file>', 'the job file')
    .addOption(formatOption())
    .action(async (file: string, options: { format: Format }) =>
      print((await import('./replay-job-command.js')).replayJobCommand(file), options.format),
    )

  cli
    .command('where')
    .description('list the files and lines that log a name, in the current code and in each recorded version')
    .argument('<name>', 'a log name')
    .addOption(formatOption())
    .action(async (name: string, options: { format: Format }) =>
      print((await import('./where-command.js')).whereCommand(name), options.format),
    )

  cli
    .command('diff')
    .description('show the code and run-level values that changed between two runs (named by tstamp)')
    .argument('<from>', 'a run\'s tstamp, or an unambiguous prefix of it')
    .argument('<to>', 'another run\'s tstamp')
    .addOption(formatOption())
    .action(async (from: string, to: string, options: { format: Format }) =>
      print((await import('./diff-command.js')).diffCommand(from, to), options.format),
    )

  return cli
}

function parsePositive(text: string): number {
  const value = Number(text)

  if (!Number.isInteger(value) || value < 1) throw new FlorError('E_USAGE', `--jobs takes a whole number of 1 or more, not "${text}"`)

  return value
}

async function print(pending: Promise<Output>, format: Format): Promise<void> {
  const output = await pending
  const { render } = await import('./output.js')

  process.stdout.write(render(output, format) + '\n')
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await program().parseAsync(argv as string[])
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      process.exitCode = error.exitCode === 0 ? 0 : 2
    } else if (error instanceof FlorError) {
      // Messages can quote a tool's multi-line output (git's); they print as one line.
      process.stderr.write(`flordb: ${error.message.trim().replace(/\s*\n\s*/g, ' ')}\n`)
      process.exitCode = exitCodes[error.code] ?? exitCodes.default
    } else {
      throw error
    }
  } finally {
    await closeStores()
  }
}

await main(process.argv)
