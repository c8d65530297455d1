// Sorting f64 samples in memory the host prepared: an LSD radix sort on the
// IEEE bit patterns mapped to unsigned keys that order like the numbers.
// 11-bit digits give six passes over 64 bits; a pass whose digit is the same
// for every key is skipped. Small inputs use insertion sort. NaN must not be
// present (the host rejects it); -0 sorts just before +0.

const DIGIT_BITS: u32 = 11;
const RADIX: i32 = 1 << DIGIT_BITS;
const PASSES: i32 = 6;
const SMALL: i32 = 48;

// One histogram of RADIX u32 counts per pass, filled in a single read.
const counts = memory.data(PASSES * RADIX * 4, 16);

@inline function toKey(bits: u64): u64 {
  // Negative numbers: flip all bits; positive: flip the sign bit.
  return bits ^ (<u64>(<i64>bits >> 63) | 0x8000000000000000);
}

@inline function fromKey(key: u64): u64 {
  return key ^ ((<u64>(<i64>(~key) >> 63)) | 0x8000000000000000);
}

function insertionSort(data: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const x = load<f64>(data + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0) {
      const y = load<f64>(data + (<usize>j << 3));
      if (y <= x) break;
      store<f64>(data + (<usize>(j + 1) << 3), y);
      j--;
    }
    store<f64>(data + (<usize>(j + 1) << 3), x);
  }
}

// Bytes of scratch sortF64 needs for n values.
export function sortScratchBytes(n: i32): i32 {
  return n < 1 ? 0 : n << 3;
}

// Sorts n f64 values at data ascending, using n*8 bytes of scratch. The
// first pass maps the numbers to keys as it scatters and the last maps them
// back, so no pass over memory is spent on the mapping alone.
export function sortF64(data: usize, n: i32, scratch: usize): void {
  if (n < SMALL) {
    insertionSort(data, n);
    return;
  }
  memory.fill(counts, 0, PASSES * RADIX * 4);
  const mask: u64 = <u64>(RADIX - 1);
  for (let i = 0; i < n; i++) {
    const key = toKey(load<u64>(data + (<usize>i << 3)));
    for (let p = 0; p < PASSES; p++) {
      const slot = counts + ((<usize>(p * RADIX) + <usize>((key >> (<u64>p * DIGIT_BITS)) & mask)) << 2);
      store<u32>(slot, load<u32>(slot) + 1);
    }
  }
  // A pass whose digit is the same for every key changes nothing: skip it.
  const firstKey = toKey(load<u64>(data));
  let active = 0, lastActive = -1;
  for (let p = 0; p < PASSES; p++) {
    const digit = (firstKey >> (<u64>p * DIGIT_BITS)) & mask;
    if (load<u32>(counts + ((<usize>(p * RADIX) + <usize>digit) << 2)) != <u32>n) { active++; lastActive = p; }
  }
  if (active == 0) return; // every value has the same bits
  let from = data, to = scratch;
  let first = true;
  for (let p = 0; p < PASSES; p++) {
    const table = counts + (<usize>(p * RADIX) << 2);
    const shift = <u64>p * DIGIT_BITS;
    if (load<u32>(table + (<usize>((firstKey >> shift) & mask) << 2)) == <u32>n) continue;
    // Counts become starting positions.
    let sum: u32 = 0;
    for (let d = 0; d < RADIX; d++) {
      const slot = table + (<usize>d << 2);
      const c = load<u32>(slot);
      store<u32>(slot, sum);
      sum += c;
    }
    const last = p == lastActive;
    for (let i = 0; i < n; i++) {
      let key = load<u64>(from + (<usize>i << 3));
      if (first) key = toKey(key);
      const slot = table + (<usize>((key >> shift) & mask) << 2);
      const pos = load<u32>(slot);
      store<u32>(slot, pos + 1);
      store<u64>(to + (<usize>pos << 3), last ? fromKey(key) : key);
    }
    first = false;
    const t = from; from = to; to = t;
  }
  if (from != data) memory.copy(data, from, <usize>n << 3);
}
