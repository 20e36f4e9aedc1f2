import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
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

const identity = ['--author', 'demo <demo@localhost>']

// The terminal is narrow: the columns every row has are left out of what is printed.
const show = (frame: { drop(...names: string[]): { toString(): string } }) =>
  frame.drop('projid', 'filename', 'epoch_value').toString()

function edit(cwd: string, file: string, changes: readonly [string, string][]): void {
  let text = readFileSync(join(cwd, file), 'utf8')

  for (const [from, to] of changes) {
    if (!text.includes(from)) throw new Error(`the demo's edit of ${file} no longer applies: ${from}`)

    text = text.replace(from, to)
  }

  writeFileSync(join(cwd, file), text)
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
git(project, 'commit', '--quiet', '-m', 'Train a classifier', ...identity)

say(`A fresh git repository with a training script: ${project}`)
train(project, 'lr=0.05 epochs=4')

// Version 2 of the code: the learning rate now decays every epoch.
edit(project, 'train.ts', [
  ["const seed = flor.arg('seed', 7)", "const seed = flor.arg('seed', 7)\nconst decay = flor.arg('decay', 0.5)"],
  ['const loss = trainStep(batch)', 'const loss = trainStep(batch, lr / (1 + decay * epoch))'],
  ['function trainStep(batch: readonly Point[]): number {', 'function trainStep(batch: readonly Point[], rate: number): number {'],
  ['(lr * gradient[0]!)', '(rate * gradient[0]!)'],
  ['(lr * gradient[1]!)', '(rate * gradient[1]!)'],
  ['(lr * gradientBias)', '(rate * gradientBias)'],
])
git(project, 'commit', '--quiet', '-am', 'Decay the learning rate', ...identity)
say('Version 2: the learning rate decays each epoch (committed)')
train(project, 'lr=0.5 epochs=4')

process.chdir(project)

const flor = await import('../index.js')

say("await flor.dataframe('lr', 'acc')")
console.log(show(await flor.dataframe('lr', 'acc')))

// Hindsight: a statement nobody thought of when those runs happened.
edit(project, 'train.ts', [
  ["    flor.log('acc', accuracy())", "    flor.log('acc', accuracy())\n    flor.log('weight_norm', Math.hypot(model.weights[0]!, model.weights[1]!))"],
])
say("Later, a new statement in the epoch loop: flor.log('weight_norm', Math.hypot(...))")
say('$ flordb replay weight_norm --yes   (puts it into both old versions and replays them from checkpoints)')

const outcome = await flor.replay(['weight_norm'], { confirm: () => true })

for (const statement of outcome.plan.statements) {
  console.log(`${statement.file}:${statement.line}  ${statement.text}  -> ${statement.strategy} replay`)
}

for (const result of outcome.results) {
  const fidelity = result.fidelity
  const check = fidelity && fidelity.compared > 0
    ? `; ${fidelity.compared - fidelity.diverged}/${fidelity.compared} recomputed values match the original run`
    : ''

  console.log(`${result.ok ? 'replayed' : 'FAILED'} ${result.job.run.tstamp} at version ${result.job.run.version.slice(0, 8)} in ${result.seconds.toFixed(1)} s${check}`)
  if (!result.ok) console.log(result.error)
}

say("await flor.dataframe('lr', 'decay', 'acc', 'weight_norm')  // both versions, the new column filled")
console.log(show(await flor.dataframe('lr', 'decay', 'acc', 'weight_norm')))

say('Where it lives')
console.log(`records  ${join(project, '.flordb/runs')} (one journal per run)`)
console.log(`store    ${join(project, '.flordb/store.sqlite')} (SQLite index over the journals)`)
console.log(`versions git log refs/flordb/snapshots  (${git(project, 'rev-list', '--count', 'refs/flordb/snapshots')} commits: each run's code and journal)`)
console.log(`your branch is untouched: git status --short says "${git(project, 'status', '--short')}" (the edit above, nothing of flordb's)`)
console.log(`\nTry: cd ${project} && node ${join(packageRoot, 'dist/cli/main.js')} where weight_norm`)
