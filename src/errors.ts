export type FlorErrorCode =
  | 'E_NOT_A_REPO'
  | 'E_BAD_KWARGS'
  | 'E_BAD_NAME'
  | 'E_RESERVED_NAME'
  | 'E_READ_ONLY_QUERY'
  | 'E_BAD_QUERY'
  | 'E_STORE_CORRUPT'
  | 'E_STORE_READ_ONLY'
  | 'E_STORE_LOCKED'
  | 'E_STORE'
  | 'E_GIT'
  | 'E_NO_SUCH_RUN'
  | 'E_REPLAY'
  | 'E_USAGE'

/**
 * An error a user can cause and act on. The CLI prints its message on one line
 * and maps its `code` to an exit code; any other error is a bug and keeps its stack.
 */
export class FlorError extends Error {
  override readonly name = 'FlorError'
  readonly code: FlorErrorCode

  constructor(code: FlorErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
