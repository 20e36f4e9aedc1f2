import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// The tour a newcomer sees with `npm run demo`: a fresh git repository, a
// training script run twice with different hyper-parameters, and the
// dataframe of what those runs logged.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(import.meta.url)
const tsx = require.resolve('tsx/cli')

const say = (text: string) => process.stdout.write(`\n\x1b[1m${text}\x1b[0m\n`)

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
}

function train(cwd: string, kwargs: string): void {
  say(`$ tsx train.ts --kwargs ${kwargs}`)

  const result = spawnSync(process.execPath, [tsx, 'train.ts', '--kwargs', ...kwargs.split(' ')], {
    cwd,
    stdio: 'inherit',
  })

  if (result.status !== 0) throw new Error(`train.ts failed with exit code ${result.status}`)
}

const project = join(mkdtempSync(join(tmpdir(), 'flordb-demo-')), 'quickstart')

mkdirSync(join(project, 'node_modules'), { recursive: true })
cpSync(join(packageRoot, 'examples/quickstart/train.ts'), join(project, 'train.ts'))
symlinkSync(packageRoot, join(project, 'node_modules/flordb'), 'dir')
writeFileSync(join(project, '.gitignore'), 'node_modules/\n')
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'quickstart', private: true, type: 'module' }, null, 2))
git(project, 'init', '--quiet', '--initial-branch=main')
git(project, 'add', '.')
git(project, '-c', 'user.name=demo', '-c', 'user.email=demo@localhost', 'commit', '--quiet', '-m', 'Train a classifier')

say(`A fresh git repository with a training script: ${project}`)
train(project, 'lr=0.05 epochs=4')
train(project, 'lr=0.5 epochs=4')

process.chdir(project)

const flor = await import('../index.js')
const frame = await flor.dataframe('lr', 'epochs', 'acc')

say("await flor.dataframe('lr', 'epochs', 'acc')")
console.log(frame.toString())

const losses = await flor.dataframe('lr', 'loss')

say(`await flor.dataframe('lr', 'loss')  // ${losses.height} rows: one per run, epoch and step`)
console.log(losses.head(6).toString())

say('Where it lives')
console.log(`records  ${join(project, '.flordb/runs')} (one journal per run)`)
console.log(`store    ${join(project, '.flordb/store.sqlite')} (SQLite index over the journals)`)
console.log(`versions git log refs/flordb/snapshots  (${git(project, 'rev-list', '--count', 'refs/flordb/snapshots')} commits: each run's code and journal)`)
console.log(`your branch is untouched: git status says "${git(project, 'status', '--short') || 'nothing to commit'}"`)
console.log(`\nTry: cd ${project} && node ${join(packageRoot, 'dist/cli/main.js')} dataframe lr,acc`)
