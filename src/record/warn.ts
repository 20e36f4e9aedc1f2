const warned = new Set<string>()

/**
 * Problems in a user's logging are reported once per kind and name, as Node
 * warnings, which `--no-warnings` silences; they never throw into the run.
 */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return

  warned.add(key)
  process.emitWarning(message, { code: 'FLORDB' })
}
