import ts from './tree/typescript.js'

import {
  findFlorBindings,
  isFlorCall,
  literalName,
  parseSource,
  skipParens,
} from './tree/flor-bindings.js'
import type { FlorBindings } from './tree/flor-bindings.js'

export interface LogStatement {
  name: string
  file: string
  line: number
  start: number
  end: number
  text: string
  loops: string[]
  insideFunction: boolean
}

export interface DynamicLog {
  line: number
  text: string
}

export function findLogStatements(
  source: string,
  file: string,
): { statements: LogStatement[]; dynamic: DynamicLog[] } {
  const sf = parseSource(source, file)
  const bindings = findFlorBindings(sf)
  const statements: LogStatement[] = []
  const dynamic: DynamicLog[] = []

  if (bindings.namespaces.size === 0 && bindings.named.size === 0) return { statements, dynamic }

  const visit = (node: ts.Node): void => {
    if (isFlorCall(node, 'log', bindings)) {
      const statement = enclosingStatement(node)
      const start = statement.getStart(sf)
      const line = sf.getLineAndCharacterOfPosition(start).line + 1
      const text = source.slice(start, statement.end)
      const name = literalName(node.arguments[0])

      if (name === undefined) {
        dynamic.push({ line, text })
      } else {
        statements.push({
          name,
          file,
          line,
          start,
          end: statement.end,
          text,
          loops: enclosingLoops(statement, bindings),
          insideFunction: isInsideFunction(node, bindings),
        })
      }
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return { statements, dynamic }
}

export function loopName(node: ts.Node, bindings: FlorBindings): string | undefined {
  if (!ts.isForOfStatement(node)) return undefined

  const iterable = skipParens(node.expression)

  if (!isFlorCall(iterable, 'loop', bindings)) return undefined

  return literalName(iterable.arguments[0]) ?? '?'
}

export function enclosingStatement(node: ts.Node): ts.Node {
  let current = node

  while (!isStatement(current) && current.parent !== undefined) current = current.parent

  return current
}

function enclosingLoops(statement: ts.Node, bindings: FlorBindings): string[] {
  const loops: string[] = []
  let child = statement

  for (let parent = statement.parent; parent !== undefined; parent = parent.parent) {
    const name = loopName(parent, bindings)

    // The iterable of a loop is evaluated outside its body.
    if (name !== undefined && ts.isForOfStatement(parent) && parent.statement === child) {
      loops.unshift(name)
    }

    child = parent
  }

  return loops
}

// The body given to flor.checkpointing or flor.iteration runs right where it
// is written, and so does a `main` the script calls once at its top level: they
// do not hide the statement's depth the way a function called from anywhere does.
function isInsideFunction(node: ts.Node, bindings: FlorBindings): boolean {
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isClassStaticBlockDeclaration(parent)) return true

    if (!ts.isFunctionLike(parent)) continue

    const call = parent.parent

    const runsInPlace =
      call !== undefined &&
      ts.isCallExpression(call) &&
      call.arguments.includes(parent as unknown as ts.Expression) &&
      (isFlorCall(call, 'checkpointing', bindings) || isFlorCall(call, 'iteration', bindings))

    if (!runsInPlace && !isCalledOnceAtTopLevel(parent)) return true
  }

  return false
}

function isCalledOnceAtTopLevel(fn: ts.Node): boolean {
  const name = topLevelName(fn)

  if (name === undefined) return false

  let calls = 0
  let atTopLevel = true

  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
      calls++
      atTopLevel &&= !inFunction
    }

    ts.forEachChild(node, (child) => visit(child, inFunction || ts.isFunctionLike(node)))
  }

  visit(fn.getSourceFile(), false)

  return calls === 1 && atTopLevel
}

// `function main() {}` or `const main = async () => {}`, declared at the top of the file.
function topLevelName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name && ts.isSourceFile(fn.parent)) return fn.name.text

  const declaration = fn.parent

  if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    declaration !== undefined &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer === fn &&
    ts.isIdentifier(declaration.name) &&
    ts.isVariableStatement(declaration.parent.parent) &&
    ts.isSourceFile(declaration.parent.parent.parent)
  ) {
    return declaration.name.text
  }

  return undefined
}

function isStatement(node: ts.Node): boolean {
  return (
    (node.kind >= ts.SyntaxKind.FirstStatement && node.kind <= ts.SyntaxKind.LastStatement) ||
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node)
  )
}
