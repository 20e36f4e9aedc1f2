import { contextStorage, newContext } from './loop-context.js'

/**
 * Runs `body` inside one loop context, entered explicitly: a server handling
 * one document per request. The context follows the body's async calls only,
 * so concurrent requests never see each other's. Its iteration number is 1;
 * `value` fills the `<name>_value` column.
 *
 * ```ts
 * await flor.iteration('document', name, async () => {
 *   for (const page of flor.loop('page', pages)) flor.log('page_color', page.color)
 * })
 * ```
 */
export function iteration<T>(name: string, value: unknown, body: () => T): T {
  return contextStorage.run(newContext(contextStorage.getStore(), name, 1, value), body)
}
