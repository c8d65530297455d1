// Counts of categorical values (class labels, detected classes) with a bounded
// number of categories. Values beyond the bound are counted in one overflow
// bucket, so memory stays bounded whatever the model emits.

export const DEFAULT_MAX_CATEGORIES = 64;

/** The overflow bucket's name when counts are listed or compared. */
export const OVERFLOW_CATEGORY = '__other__';

export interface CategoricalCountsOptions {
  /** Most distinct categories kept; later ones go to the overflow bucket. Default 64 (1 to 4096). */
  maxCategories?: number;
}

export interface CategoricalCountsJSON {
  maxCategories: number;
  counts: Record<string, number>;
  overflow: number;
}

function checkCount(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(count)}`);
  }
}

export class CategoricalCounts {
  readonly maxCategories: number;
  private readonly counts = new Map<string, number>();
  private overflowCount = 0;

  constructor(options: CategoricalCountsOptions = {}) {
    const max = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
    if (!Number.isInteger(max) || max < 1 || max > 4096) {
      throw new RangeError(`maxCategories must be an integer from 1 to 4096, got ${String(max)}`);
    }
    this.maxCategories = max;
  }

  add(category: string, count = 1): this {
    if (typeof category !== 'string' || category.length === 0) {
      throw new TypeError(`category must be a non-empty string, got ${JSON.stringify(category)}`);
    }
    if (category === OVERFLOW_CATEGORY) throw new RangeError(`'${OVERFLOW_CATEGORY}' is reserved for the overflow bucket`);
    checkCount(count, 'count');
    const known = this.counts.get(category);
    if (known !== undefined) this.counts.set(category, known + count);
    else if (this.counts.size < this.maxCategories) this.counts.set(category, count);
    else this.overflowCount += count;
    return this;
  }

  /**
   * Adds another set of counts. Its categories that are already known add
   * up; new ones are admitted in descending count order (ties by name) while
   * there is room, and the rest join the overflow. Exact (and so associative)
   * while the union fits in maxCategories.
   */
  merge(other: CategoricalCounts): this {
    if (!(other instanceof CategoricalCounts)) throw new TypeError('merge takes a CategoricalCounts');
    const incoming = [...other.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [category, count] of incoming) this.add(category, count);
    this.overflowCount += other.overflowCount;
    return this;
  }

  get total(): number {
    let sum = this.overflowCount;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  get overflow(): number {
    return this.overflowCount;
  }

  get size(): number {
    return this.counts.size;
  }

  count(category: string): number {
    return category === OVERFLOW_CATEGORY ? this.overflowCount : this.counts.get(category) ?? 0;
  }

  /** [category, count] pairs by descending count (ties by name), the overflow bucket last when non-empty. */
  entries(): Array<[string, number]> {
    const list = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (this.overflowCount > 0) list.push([OVERFLOW_CATEGORY, this.overflowCount]);
    return list;
  }

  toJSON(): CategoricalCountsJSON {
    return { maxCategories: this.maxCategories, counts: Object.fromEntries(this.counts), overflow: this.overflowCount };
  }

  static fromJSON(value: unknown): CategoricalCounts {
    if (value === null || typeof value !== 'object') throw new TypeError('categorical counts must be an object');
    const { maxCategories, counts, overflow } = value as Partial<CategoricalCountsJSON>;
    const result = new CategoricalCounts({ maxCategories });
    if (counts === null || typeof counts !== 'object') throw new TypeError('categorical counts need a "counts" object');
    const entries = Object.entries(counts);
    if (entries.length > result.maxCategories) {
      throw new RangeError(`${entries.length} categories exceed maxCategories ${result.maxCategories}`);
    }
    for (const [category, count] of entries) result.add(category, count as number);
    checkCount(overflow as number, 'overflow');
    result.overflowCount = overflow as number;
    return result;
  }
}
