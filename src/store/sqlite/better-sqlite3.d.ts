// The driver is described by the structural `SqliteHandle`; only its constructor is needed here.
declare module 'better-sqlite3' {
  const Database: new (
    path: string,
    options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number },
  ) => unknown

  export default Database
}
