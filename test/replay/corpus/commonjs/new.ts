const flor = require('flordb')
const { loadIris } = require('./data')
const { LogisticRegression } = require('./linear')

const epochs = flor.arg('epochs', 100)
const data = loadIris('data/iris.csv')
const clf = new LogisticRegression({ features: 4, classes: 3 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  const grad = clf.gradient(data.x, data.y)
  clf.weights = clf.weights.sub(grad.mul(0.1))
  flor.log('grad_l2', grad.norm())
  flor.log('nll', clf.nll(data.x, data.y))
}
