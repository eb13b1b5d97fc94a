/**
 * `node` flags for the processes the tests start (bots, the Playground, tools): no V8 background threads. Their
 * parallel and concurrent garbage collection and compilation cost more CPU in all than they save in time, and the
 * suite is CPU-bound on two cores (a crashBot start: about 1.2 s of CPU with them, 0.95 s without).
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--single-threaded'];
