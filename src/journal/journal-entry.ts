/**
 * The journal's lines. Each is a JSON array whose first element says what it
 * holds; arrays parse faster than objects and keep the file small.
 */
export type RunStatus = 'running' | 'committed' | 'failed' | 'interrupted'

export interface RunHeader {
  projid: string
  tstamp: string
  filename: string
  argv: string[]
  runtime: RunRuntime
  head: string | null
  branch: string | null
  startedAt: string
  /** Set on the journal of a replay: whose records it adds to, and from which code. */
  replay?: { of: string; from: string | null; names: string[] }
}

export interface RunRuntime {
  node: string
  execPath: string
  execArgv: string[]
  /** Working directory relative to the repository root ('' at the root). */
  cwd: string
  platform: string
  hostname: string
  pid: number
}

export type JournalEntry =
  | ['h', RunHeader]
  | ['c', number, number | null, string, number, string | number | boolean | null]
  | ['l', number | null, string, string, unknown]
  | ['f', number | null, string, string, unknown]
  | ['k', number, string, string, string, number, string]
  | ['t', TimingKind, number | null, string | null, number]
  | ['s', RunStatus, string]
  | ['v', string | null]
  | ['e']

export type TimingKind = 'prefix' | 'iteration' | 'loop' | 'suffix' | 'checkpoint'

export const entry = (value: JournalEntry): string => JSON.stringify(value)
