// i32x4 accumulators kept in static memory: SIMD code adds to them, and the
// owner folds the four lanes into a 64-bit sum before they could overflow.
// (A v128 global would not compile in the scalar build; functions that are
// never called there are never compiled.)

@inline export function addLanes(at: usize, v: v128): void {
  v128.store(at, i32x4.add(v128.load(at), v));
}

/** The sum of the four i32 lanes at `at`, read as scalars; clears them. */
export function takeLanes(at: usize): i64 {
  const s = <i64>load<i32>(at) + <i64>load<i32>(at, 4) + <i64>load<i32>(at, 8) + <i64>load<i32>(at, 12);
  store<u64>(at, 0);
  store<u64>(at, 0, 8);
  return s;
}

/** The sum of the four i32 lanes of v (an accumulator kept in a local), widened to 64 bits. */
@inline export function laneSum(v: v128): i64 {
  return <i64>i32x4.extract_lane(v, 0) + <i64>i32x4.extract_lane(v, 1)
       + <i64>i32x4.extract_lane(v, 2) + <i64>i32x4.extract_lane(v, 3);
}
