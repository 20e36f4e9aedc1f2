import * as flor from 'flordb'

import { PolicyNet, ReplayBuffer } from './agent.js'
import { CartPole } from './env.js'

const episodes = flor.arg('episodes', 300)
const gamma = flor.arg('gamma', 0.95)

const env = new CartPole({ seed: 7 })
const policy = new PolicyNet({ observations: 4, actions: 2, hidden: 32 })
const buffer = new ReplayBuffer(10_000)

for (const episode of flor.loop('episode', range(episodes))) {
  let state = env.reset()
  let reward = 0

  for (const t of flor.loop('step', range(500))) {
    const action = policy.act(state)
    const next = env.step(action)
    buffer.push({ state, action, reward: next.reward, next: next.state, done: next.done })
    reward += next.reward
    state = next.state

    if (buffer.size > 1000) {
      const td = policy.learn(buffer.sample(32), gamma)
      flor.log('td_error', td)
    }

    if (next.done) break
  }

  flor.log('return', reward)
}
