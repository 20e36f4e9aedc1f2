/**
 * The web app: shows each PDF's pages tinted by predicted document, lets a
 * person correct the tints, and logs their colours to flordb on Save.
 *
 *   tsx app.ts --kwargs pdfs=samples out=build port=8123
 *
 * It listens on 127.0.0.1 only; `host=0.0.0.0` exposes it to the network,
 * and port 0 picks a free port. The address is printed on the first line.
 */
import * as flor from 'flordb'
import { Library } from './lib/document-state.js'
import { createApp } from './lib/http-app.js'
import { createWorkspace } from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const host = flor.arg('host', '127.0.0.1')
const port = flor.arg('port', Number(process.env.PORT ?? 8123))
const server = createApp(new Library(ws))

// The settings above are a run of their own, so that each save starts a fresh
// run and its tstamp says when it was saved, not when the app started.
await flor.commit()

server.listen(port, host, () => {
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port

  console.log(`pdf-parser: http://${host}:${bound}/`)
})

// Ctrl-C and `kill` end the app normally, so flordb closes the run it has open.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
  })
}
