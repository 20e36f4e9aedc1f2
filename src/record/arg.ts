import { FlorError } from '../errors.js'
import { logRunLevel } from './log.js'
import { replaySettings } from './replay-settings.js'

let parsed: Map<string, string> | undefined

/**
 * A hyper-parameter: the value given on the command line as
 * `--kwargs name=value …`, cast to the default's type, else the default.
 * It is logged as a run-level value; a replay gets the run's historical value.
 *
 * ```ts
 * const lr = flor.arg('lr', 1e-3) // node train.js --kwargs lr=0.01
 * ```
 */
export function arg<T>(name: string, defaultValue: T): T {
  const replay = replaySettings()
  let value: T

  if (replay && name in replay.args) {
    value = replay.args[name] as T
  } else {
    const given = commandLine().get(name)

    value = given === undefined ? defaultValue : castTo(name, given, defaultValue)
  }

  logRunLevel(name, value)

  return value
}

function commandLine(): Map<string, string> {
  parsed ??= parseKwargs(process.argv.slice(2))

  return parsed
}

/** Reads `--kwargs a=1 b=two` (up to the next `--flag`); `--kwargs=a=1` works too. */
export function parseKwargs(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>()
  let inKwargs = false

  for (const token of argv) {
    let pair = token

    if (token === '--kwargs') {
      inKwargs = true
      continue
    }

    if (token.startsWith('--kwargs=')) {
      inKwargs = true
      pair = token.slice('--kwargs='.length)
    } else if (token.startsWith('--')) {
      inKwargs = false
      continue
    }

    if (!inKwargs) continue

    const equals = pair.indexOf('=')

    if (equals <= 0) {
      throw new FlorError('E_BAD_KWARGS', `--kwargs takes name=value pairs; "${pair}" has no name=value`)
    }

    values.set(pair.slice(0, equals), pair.slice(equals + 1))
  }

  return values
}

function castTo<T>(name: string, text: string, defaultValue: T): T {
  const fail = (expected: string): never => {
    throw new FlorError('E_BAD_KWARGS', `--kwargs ${name}=${text}: expected ${expected}, like the default ${JSON.stringify(defaultValue)}`)
  }

  switch (typeof defaultValue) {
    case 'number': {
      const number = text.trim() === '' ? Number.NaN : Number(text)

      return (Number.isNaN(number) && text !== 'NaN' ? fail('a number') : number) as T
    }
    case 'boolean': {
      const lower = text.toLowerCase()

      if (['true', '1', 'yes', 'on'].includes(lower)) return true as T
      if (['false', '0', 'no', 'off'].includes(lower)) return false as T

      return fail('true or false')
    }
    case 'bigint':
      try {
        return BigInt(text) as T
      } catch {
        return fail('an integer')
      }
    case 'string':
      return text as T
  }

  if (defaultValue === null || defaultValue === undefined) return text as T

  try {
    const value = JSON.parse(text) as unknown

    if (Array.isArray(defaultValue) !== Array.isArray(value) || typeof value !== 'object') {
      return fail(Array.isArray(defaultValue) ? 'a JSON array' : 'a JSON object')
    }

    return value as T
  } catch (error) {
    if (error instanceof FlorError) throw error

    return fail(Array.isArray(defaultValue) ? 'a JSON array' : 'a JSON object')
  }
}
