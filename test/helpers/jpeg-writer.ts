// A small baseline JPEG encoder for tests (T.81 annex A, F.1), for the
// variants sharp cannot write: restart intervals, 4:2:2 / 4:4:0 / 2x2 luma
// layouts, one scan per component, 16-bit quantisation tables, SOF1, Adobe
// RGB. sharp (libjpeg-turbo) decodes its output as the independent reference.
// Huffman tables are built per image: symbols sorted by frequency get code
// lengths from a fixed Kraft-valid ladder that reaches 16 bits, so rare
// symbols take codes longer than the decoder's 9-bit lookahead.

export interface JpegWriterOptions {
  width: number;
  height: number;
  /** Interleaved pixels: 1 (gray) or 3 (RGB) channels. */
  channels: 1 | 3;
  /** Sampling factors [h, v] per component; default 1x1 (gray) or [[2,2],[1,1],[1,1]]. */
  sampling?: Array<[number, number]>;
  /** Quantisation step scale: 1 is fine (about q90), 4 coarse (about q50). */
  coarseness?: number;
  restartInterval?: number;
  /** One scan per component instead of one interleaved scan. */
  separateScans?: boolean;
  /** 16-bit quantisation table entries (Pq = 1). */
  quant16?: boolean;
  /** Frame marker: 0xc0 baseline (default) or 0xc1 extended sequential. */
  sof?: 0xc0 | 0xc1;
  /** Store R, G, B as they are, marked with Adobe APP14 transform 0. */
  adobeRgb?: boolean;
  /** Sees each block's quantised coefficients (zigzag order) and quantisation table. */
  onBlock?: (component: number, bx: number, by: number, zigzag: number[], quant: number[]) => void;
}

const ZIGZAG: number[] = (() => {
  const order: number[] = [];
  for (let s = 0; s <= 14; s++) {
    const lo = Math.max(0, s - 7), hi = Math.min(s, 7);
    for (let i = 0; i <= hi - lo; i++) {
      const row = s % 2 === 0 ? hi - i : lo + i;
      order.push(row * 8 + (s - row));
    }
  }
  return order;
})();

const COS = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16)); // [x][u]
const C = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);

function fdct(block: Float64Array): Float64Array {
  const rows = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x * 8 + u];
      rows[y * 8 + u] = (C(u) / 2) * s;
    }
  }
  const out = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += rows[y * 8 + u] * COS[y * 8 + v];
      out[v * 8 + u] = (C(v) / 2) * s;
    }
  }
  return out;
}

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0);
    this.acc = 0;
    this.count = 0;
  }
  /** Pads the last byte with 1-bits (F.1.2.3). */
  align(): void {
    while (this.count !== 0) this.write(1, 1);
  }
  marker(code: number): void {
    this.bytes.push(0xff, code);
  }
}

interface Table { bits: number[]; values: number[]; code: Map<number, [number, number]> }

// Lengths 2..16 with counts whose Kraft sum stays below 1 for up to 162 symbols.
const AC_LADDER = [0, 0, 1, 2, 2, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 0, 13];
const DC_LADDER = [0, 0, 1, 4, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];

function buildTable(frequency: Map<number, number>, universe: number[], ladder: number[]): Table {
  const values = [...universe].sort((a, b) => (frequency.get(b) ?? 0) - (frequency.get(a) ?? 0) || a - b);
  const bits = new Array<number>(17).fill(0);
  let placed = 0;
  for (let l = 1; l <= 16 && placed < values.length; l++) {
    const n = Math.min(ladder[l], values.length - placed);
    bits[l] = n;
    placed += n;
  }
  const code = new Map<number, [number, number]>();
  let next = 0, k = 0;
  for (let l = 1; l <= 16; l++) {
    for (let i = 0; i < bits[l]; i++) code.set(values[k++], [next++, l]);
    next <<= 1;
  }
  return { bits: bits.slice(1), values, code };
}

const AC_SYMBOLS = [0x00, 0xf0, ...Array.from({ length: 160 }, (_, i) => ((i / 10) | 0) * 16 + (i % 10) + 1)];
const DC_SYMBOLS = Array.from({ length: 12 }, (_, i) => i);

function category(v: number): number {
  let a = Math.abs(v), s = 0;
  while (a > 0) { s++; a >>= 1; }
  return s;
}

type Symbol = { table: 'dc' | 'ac'; comp: number; symbol: number; extra: number; extraBits: number } | { restart: number };

export function writeJpeg(pixels: Uint8Array, options: JpegWriterOptions): Uint8Array {
  const { width, height, channels } = options;
  const n = channels;
  const sampling = options.sampling ?? (n === 1 ? [[1, 1]] : [[2, 2], [1, 1], [1, 1]]);
  const hMax = Math.max(...sampling.map((s) => s[0])), vMax = Math.max(...sampling.map((s) => s[1]));
  const mcusX = Math.ceil(width / (8 * hMax)), mcusY = Math.ceil(height / (8 * vMax));
  const coarse = options.coarseness ?? 1;
  const quant = [0, 1].map((t) => Array.from({ length: 64 }, (_, k) => Math.max(1, Math.min(options.quant16 ? 400 : 255, Math.round(coarse * (t === 0 ? 3 : 5) * (1 + k / 6))))));

  // Component planes, full resolution, level-shifted.
  const full = Array.from({ length: n }, () => new Float64Array(width * height));
  for (let i = 0; i < width * height; i++) {
    if (n === 1) { full[0][i] = pixels[i] - 128; continue; }
    const r = pixels[3 * i], g = pixels[3 * i + 1], b = pixels[3 * i + 2];
    if (options.adobeRgb) { full[0][i] = r - 128; full[1][i] = g - 128; full[2][i] = b - 128; continue; }
    full[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
    full[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    full[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  // Downsampled, padded to whole MCUs by edge replication.
  const planes = sampling.map(([h, v], c) => {
    const fx = hMax / h, fy = vMax / v;
    const w = mcusX * h * 8, ht = mcusY * v * 8;
    const cw = Math.ceil((width * h) / hMax), ch = Math.ceil((height * v) / vMax);
    const plane = new Float64Array(w * ht);
    for (let y = 0; y < ht; y++) {
      for (let x = 0; x < w; x++) {
        const sx = Math.min(x, cw - 1), sy = Math.min(y, ch - 1);
        let s = 0, k = 0;
        for (let dy = 0; dy < fy; dy++) for (let dx = 0; dx < fx; dx++) {
          s += full[c][Math.min(height - 1, sy * fy + dy) * width + Math.min(width - 1, sx * fx + dx)];
          k++;
        }
        plane[y * w + x] = s / k;
      }
    }
    return { plane, w, blocksX: Math.ceil(cw / 8), blocksY: Math.ceil(ch / 8) };
  });

  const coefficients = (c: number, bx: number, by: number): number[] => {
    const { plane, w } = planes[c];
    const block = new Float64Array(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[(by * 8 + y) * w + bx * 8 + x];
    const f = fdct(block);
    const q = quant[c === 0 ? 0 : 1];
    const z = ZIGZAG.map((nat, k) => Math.round(f[nat] / q[k]));
    options.onBlock?.(c, bx, by, z, q);
    return z;
  };

  // Scans as symbol lists, then tables from their frequencies.
  const scans: Array<{ comps: number[]; symbols: Symbol[] }> = [];
  const scanList = options.separateScans ? sampling.map((_, c) => [c]) : [sampling.map((_, c) => c)];
  for (const comps of scanList) {
    const symbols: Symbol[] = [];
    const pred = new Array<number>(n).fill(0);
    const units: Array<Array<[number, number, number]>> = [];
    if (comps.length === 1) {
      const c = comps[0];
      for (let by = 0; by < planes[c].blocksY; by++) for (let bx = 0; bx < planes[c].blocksX; bx++) units.push([[c, bx, by]]);
    } else {
      for (let my = 0; my < mcusY; my++) for (let mx = 0; mx < mcusX; mx++) {
        const unit: Array<[number, number, number]> = [];
        for (const c of comps) for (let v = 0; v < sampling[c][1]; v++) for (let h = 0; h < sampling[c][0]; h++) unit.push([c, mx * sampling[c][0] + h, my * sampling[c][1] + v]);
        units.push(unit);
      }
    }
    units.forEach((unit, i) => {
      if (options.restartInterval && i > 0 && i % options.restartInterval === 0) {
        symbols.push({ restart: (i / options.restartInterval - 1) & 7 });
        pred.fill(0);
      }
      for (const [c, bx, by] of unit) {
        const z = coefficients(c, bx, by);
        const diff = z[0] - pred[c];
        pred[c] = z[0];
        const s = category(diff);
        symbols.push({ table: 'dc', comp: c, symbol: s, extra: diff < 0 ? diff + (1 << s) - 1 : diff, extraBits: s });
        let run = 0;
        for (let k = 1; k < 64; k++) {
          if (z[k] === 0) { run++; continue; }
          while (run > 15) { symbols.push({ table: 'ac', comp: c, symbol: 0xf0, extra: 0, extraBits: 0 }); run -= 16; }
          const sz = category(z[k]);
          symbols.push({ table: 'ac', comp: c, symbol: (run << 4) | sz, extra: z[k] < 0 ? z[k] + (1 << sz) - 1 : z[k], extraBits: sz });
          run = 0;
        }
        if (run > 0) symbols.push({ table: 'ac', comp: c, symbol: 0, extra: 0, extraBits: 0 });
      }
    });
    scans.push({ comps, symbols });
  }
  const tableIndex = (c: number) => (c === 0 || options.adobeRgb ? 0 : 1);
  const freq = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>(), new Map<number, number>()]; // dc0 dc1 ac0 ac1
  for (const scan of scans) for (const s of scan.symbols) {
    if ('restart' in s) continue;
    const m = freq[(s.table === 'dc' ? 0 : 2) + tableIndex(s.comp)];
    m.set(s.symbol, (m.get(s.symbol) ?? 0) + 1);
  }
  const tables = [
    buildTable(freq[0], DC_SYMBOLS, DC_LADDER), buildTable(freq[1], DC_SYMBOLS, DC_LADDER),
    buildTable(freq[2], AC_SYMBOLS, AC_LADDER), buildTable(freq[3], AC_SYMBOLS, AC_LADDER),
  ];

  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  if (options.adobeRgb) segment(0xee, [0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0]);
  for (const t of [0, 1]) {
    if (options.quant16) segment(0xdb, [0x10 | t, ...quant[t].flatMap((q) => [q >> 8, q & 255])]);
    else segment(0xdb, [t, ...quant[t]]);
  }
  segment(options.sof ?? 0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, n,
    ...sampling.flatMap(([h, v], c) => [c + 1, (h << 4) | v, c === 0 ? 0 : 1])]);
  tables.forEach((t, i) => segment(0xc4, [((i >> 1) << 4) | (i & 1), ...t.bits, ...t.values]));
  if (options.restartInterval) segment(0xdd, [options.restartInterval >> 8, options.restartInterval & 255]);
  for (const scan of scans) {
    segment(0xda, [scan.comps.length, ...scan.comps.flatMap((c) => [c + 1, (tableIndex(c) << 4) | tableIndex(c)]), 0, 63, 0]);
    const bits = new BitWriter();
    for (const s of scan.symbols) {
      if ('restart' in s) { bits.align(); bits.marker(0xd0 + s.restart); continue; }
      const t = tables[(s.table === 'dc' ? 0 : 2) + tableIndex(s.comp)];
      const [code, length] = t.code.get(s.symbol)!;
      bits.write(code, length);
      if (s.extraBits) bits.write(s.extra, s.extraBits);
    }
    bits.align();
    for (const b of bits.bytes) out.push(b);
  }
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}
