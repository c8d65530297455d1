// The kernel module's exports. Kernels take scalars and offsets into linear
// memory that the host prepared; nothing here allocates.
export * from "./frame/layout";
export { frameStats, frameScratchBytes } from "./frame/frame-stats";

// First byte the host may use for its own regions.
export function heapBase(): usize {
  return __heap_base;
}
export * from "./stats/sort";
export * from "./stats/ks";
export * from "./stats/wasserstein";
