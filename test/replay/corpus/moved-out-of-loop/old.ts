import * as flor from 'flordb'

import { loadPrompts } from './data.js'
import { judge, LlmClient } from './llm.js'

const temperature = flor.arg('temperature', 0.7)
const client = new LlmClient({ model: 'gpt-4o-mini', temperature })
const prompts = await loadPrompts('data/eval-prompts.jsonl')

for (const round of flor.loop('round', range(5))) {
  const answers = await client.completeAll(prompts)
  flor.log('win_rate', await judge(prompts, answers))
}
