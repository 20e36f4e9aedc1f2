import { createRequire } from 'node:module'

import type * as TypeScript from 'typescript'

/**
 * The TypeScript compiler, loaded with `require`: imported as an ES module,
 * its 9 MB CommonJS file is first scanned for named exports, which costs
 * about as much again as loading it.
 */
const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript

// The compiler's types that flordb names, under the same name as the value.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace ts {
  export type BindingName = TypeScript.BindingName
  export type CallExpression = TypeScript.CallExpression
  export type CompilerHost = TypeScript.CompilerHost
  export type Expression = TypeScript.Expression
  export type Identifier = TypeScript.Identifier
  export type IfStatement = TypeScript.IfStatement
  export type ModuleExportName = TypeScript.ModuleExportName
  export type Node = TypeScript.Node
  export type NodeArray<T extends TypeScript.Node> = TypeScript.NodeArray<T>
  export type PropertyName = TypeScript.PropertyName
  export type ScriptKind = TypeScript.ScriptKind
  export type SourceFile = TypeScript.SourceFile
  export type Statement = TypeScript.Statement
  export type SyntaxKind = TypeScript.SyntaxKind
}

export default ts
