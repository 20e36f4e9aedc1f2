import * as flor from 'flordb'

import { Curriculum, loadTasks } from './curriculum.js'
import { Agent } from './agent.js'

const tasks = await loadTasks('data/tasks.yaml')
const agent = await Agent.load('checkpoints/agent-v2')
const curriculum = new Curriculum(tasks)

for (const stage of flor.loop('stage', curriculum.stages())) {
  switch (stage.kind) {
    case 'imitation':
      await agent.behaviourClone(stage.demonstrations)
      break
    case 'reinforcement': {
      const result = await agent.reinforce(stage.environment, { episodes: stage.budget })
      console.log(result.summary())
      break
    }
  }
}
