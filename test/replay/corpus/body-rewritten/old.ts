import * as flor from 'flordb'

import { loadDialogues } from './data.js'
import { ChatModel, rewardOf } from './rlhf.js'

const iterations = flor.arg('iterations', 100)
const beta = flor.arg('beta', 0.1)

const prompts = await loadDialogues('data/prompts.jsonl')
const policy = await ChatModel.load('tiny-llama-sft')
const reference = await ChatModel.load('tiny-llama-sft')

for (const it of flor.loop('iteration', range(iterations))) {
  const pairs = await prompts.preferencePairs(16)
  for (const { chosen, rejected } of pairs) {
    policy.dpoStep(chosen, rejected, reference, beta)
  }
}
