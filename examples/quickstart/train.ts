// A small but real model: logistic regression on two noisy clusters, trained
// with mini-batch gradient descent. Everything is seeded, so a run repeats exactly.
import * as flor from 'flordb'

const lr = flor.arg('lr', 0.1)
const epochs = flor.arg('epochs', 5)
const batchSize = flor.arg('batch_size', 16)
const seed = flor.arg('seed', 7)

// Everything an epoch changes is checkpointed (the random generator's state and
// the shuffled data included), so a replay resumes exactly where the run was.
const rng = { state: seed }
const random = () => mulberry32(rng)
const data = makeClusters(256, random)
const model = { weights: new Float64Array(2), bias: [0] }

flor.checkpointing({ model, rng, data }, () => {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    shuffle(data, random)

    for (const start of flor.loop('step', range(Math.ceil(data.length / batchSize)))) {
      const batch = data.slice(start * batchSize, (start + 1) * batchSize)
      const loss = trainStep(batch)

      flor.log('loss', loss)
    }

    flor.log('acc', accuracy())
    void epoch
  }
})

function trainStep(batch: readonly Point[]): number {
  const gradient = [0, 0]
  let gradientBias = 0
  let loss = 0

  for (const { x, label } of batch) {
    const p = predict(x)

    loss -= label * Math.log(p + 1e-12) + (1 - label) * Math.log(1 - p + 1e-12)
    gradient[0]! += (p - label) * x[0]
    gradient[1]! += (p - label) * x[1]
    gradientBias += p - label
  }

  model.weights[0]! -= (lr * gradient[0]!) / batch.length
  model.weights[1]! -= (lr * gradient[1]!) / batch.length
  model.bias[0]! -= (lr * gradientBias) / batch.length

  return loss / batch.length
}

function predict(x: readonly [number, number]): number {
  const z = model.weights[0]! * x[0] + model.weights[1]! * x[1] + model.bias[0]!

  return 1 / (1 + Math.exp(-z))
}

function accuracy(): number {
  const right = data.filter(({ x, label }) => (predict(x) > 0.5 ? 1 : 0) === label).length

  return right / data.length
}

interface Point {
  x: [number, number]
  label: number
}

function makeClusters(n: number, next: () => number): Point[] {
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2
    const centre = label ? 0.5 : -0.5

    return { x: [centre + gaussian(next), centre + gaussian(next)], label }
  })
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next())
}

function shuffle<T>(items: T[], next: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))

    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

function mulberry32(generator: { state: number }): number {
  generator.state = (generator.state + 0x6d2b79f5) | 0

  let t = Math.imul(generator.state ^ (generator.state >>> 15), 1 | generator.state)

  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t

  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
