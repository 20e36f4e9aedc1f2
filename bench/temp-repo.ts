import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** A fresh git repository with one commit, where `import 'flordb'` resolves to this checkout. */
export function tempRepo(name = 'bench'): string {
  const root = join(mkdtempSync(join(tmpdir(), 'flordb-bench-')), name)
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' })

  mkdirSync(join(root, 'node_modules'), { recursive: true })
  symlinkSync(packageRoot, join(root, 'node_modules/flordb'), 'dir')
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n')
  writeFileSync(join(root, 'package.json'), '{ "type": "module", "private": true }\n')
  git('init', '--quiet', '--initial-branch=main')
  git('add', '.')
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '--quiet', '-m', 'start')

  return root
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)

  return sorted[Math.floor(sorted.length / 2)]!
}
