import * as flor from 'flordb'

import { loadDialogues } from './data.js'
import { ChatModel, rewardOf } from './rlhf.js'

const iterations = flor.arg('iterations', 100)
const beta = flor.arg('beta', 0.1)

const prompts = await loadDialogues('data/prompts.jsonl')
const policy = await ChatModel.load('tiny-llama-sft')
const reference = await ChatModel.load('tiny-llama-sft')

for (const it of flor.loop('iteration', range(iterations))) {
  const batch = prompts.sample(32)
  const completions = await policy.generate(batch, { maxTokens: 128 })
  const rewards = await Promise.all(completions.map((c) => rewardOf(c)))
  const kl = policy.klDivergence(reference, completions)
  flor.log('kl', kl)
  await policy.ppoUpdate(completions, rewards, { beta, clip: 0.2 })
}
