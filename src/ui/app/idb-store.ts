/**
 * One object store of an IndexedDB database (version 1), for the records the app keeps in
 * the browser (the loaded dataset, saved snapshots). The database is opened on first use
 * and kept open; a failed open is tried again on the next call.
 */

/** Runs `op` in a transaction of its own and resolves with the request's result. */
export type StoreRun = <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>) => Promise<T>;

export function idbStore(dbName: string, storeName: string, options?: IDBObjectStoreParameters): StoreRun {
  let dbPromise: Promise<IDBDatabase> | null = null;

  const openDb = (): Promise<IDBDatabase> =>
    (dbPromise ??= new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available in this browser'));
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(storeName)) req.result.createObjectStore(storeName, options);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        dbPromise = null;
        reject(req.error ?? new Error('IndexedDB is not available'));
      };
    }));

  return async <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await openDb();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const req = op(tx.objectStore(storeName));
      let result: T;
      req.onsuccess = () => (result = req.result);
      // Resolve on commit, not on the request: a write is only durable once the transaction is.
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? req.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  };
}
