/**
 * Holding the event loop open while awaiting work V8 finishes on its own threads.
 *
 * Awaiting a promise that only V8 settles (WebAssembly.compile/instantiate) leaves libuv with no
 * active handle, so Node's SpinEventLoop calls NodePlatform::DrainTasks, which blocks the main
 * thread until every worker task is done. If a worker task is then a TurboFan job whose allocation
 * needs a GC, it waits in CollectionBarrier::AwaitCollectionBackground for the main thread: a
 * deadlock (seen in Node 20.20 here, about 1 bench run in 40 under load; gdb backtraces in the
 * issue 4 note). A ref'd timer keeps uv_run polling, so the GC request is served as a foreground task.
 */

/** Runs fn with a ref'd timer alive, so the loop never drains to NodePlatform::DrainTasks meanwhile. */
export async function withLoopHeld<T>(fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 0x7fffffff);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
