import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { loadJpegDecoder } from '../dist/src/index.js';
import { writeJpeg } from '../dist/test/helpers/jpeg-writer.js';
const simd = await loadJpegDecoder({ source: await readFile('build/jpeg-simd.wasm') });
const W = 96, H = 64;
const luma = await sharp('samples/camera.png').resize(W, H, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
const blocks = [];
const base = writeJpeg(new Uint8Array(luma), { width: W, height: H, channels: 1, quant16: true, coarseness: 30, sof: 0xc1, onBlock: (c, bx, by, zz, q) => blocks.push({ bx, by, zz: [...zz], q: [...q] }) });
const zz2nat = []; { let k = 0; for (let s = 0; s <= 14; s++) { const lo = s > 7 ? s - 7 : 0, hi = s < 7 ? s : 7; for (let i = 0; i <= hi - lo; i++) { const row = (s & 1) === 0 ? hi - i : lo + i; zz2nat[k++] = row * 8 + (s - row); } } }
const w16 = (x) => (x << 16) >> 16, s16 = (x) => Math.max(-32768, Math.min(32767, x));
// SSE2 semantics, pair form; i32 via |0
function line(a, shift, bias) {
  const [a0, a1, a2, a3, a4, a5, a6, a7] = a;
  const t0 = (w16(a0 + a4) * 8192 + bias) | 0, t1 = (w16(a0 - a4) * 8192 + bias) | 0;
  const t3 = (a2 * 10703 + a6 * 4433) | 0, t2 = (a2 * 4433 + a6 * -10704) | 0;
  const e10 = (t0 + t3) | 0, e13 = (t0 - t3) | 0, e11 = (t1 + t2) | 0, e12 = (t1 - t2) | 0;
  const z3s = w16(a7 + a3), z4s = w16(a1 + a5);
  const z3 = (z3s * -6436 + z4s * 9633) | 0, z4 = (z3s * 9633 + z4s * 6437) | 0;
  const o0 = (a7 * -4927 + a1 * -7373 + z3) | 0, o3 = (a7 * -7373 + a1 * 4926 + z4) | 0;
  const o1 = (a3 * -20995 + a5 * -4176 + z4) | 0, o2 = (a3 * 4177 + a5 * -20995 + z3) | 0;
  return [(e10 + o3) | 0, (e11 + o2) | 0, (e12 + o1) | 0, (e13 + o0) | 0, (e13 - o0) | 0, (e12 - o1) | 0, (e11 - o2) | 0, (e10 - o3) | 0].map((x) => x >> shift);
}
for (const factor of [1, 40, 80, 200]) {
  const j = Uint8Array.from(base);
  let dqt = 2; while (!(j[dqt] === 0xff && j[dqt + 1] === 0xdb)) dqt++;
  for (let k = 0; k < 64; k++) { const at = dqt + 5 + 2 * k; const q = Math.min(65535, factor * ((j[at] << 8) | j[at + 1])); j[at] = q >> 8; j[at + 1] = q & 255; }
  const out = new Uint8Array(W * H);
  for (const b of blocks) {
    const raw = new Array(64).fill(0), coef = new Array(64).fill(0);
    for (let k = 0; k < 64; k++) { const q = Math.min(65535, factor * b.q[k]); raw[zz2nat[k]] = b.zz[k]; coef[zz2nat[k]] = w16(Math.imul(b.zz[k], q)); }
    const rowOnly = raw.slice(8).every((v) => v === 0);
    const ws = new Array(64);
    for (let u = 0; u < 8; u++) {
      const r = rowOnly ? new Array(8).fill(w16(coef[u] << 2)) : line([0, 1, 2, 3, 4, 5, 6, 7].map((v) => coef[v * 8 + u]), 11, 1024).map(s16);
      for (let y = 0; y < 8; y++) ws[y * 8 + u] = r[y];
    }
    for (let y = 0; y < 8; y++) { const r = line(ws.slice(y * 8, y * 8 + 8), 18, 1 << 17); for (let x = 0; x < 8; x++) { const px = b.bx * 8 + x, py = b.by * 8 + y; if (px < W && py < H) out[py * W + px] = Math.max(-128, Math.min(127, r[x])) + 128; } }
  }
  const ref = await sharp(j).toColourspace('b-w').raw().toBuffer();
  const ours = simd.decode(j).data;
  let cMax = 0, n = 0, oMax = 0; for (let i = 0; i < out.length; i++) { const d = Math.abs(out[i] - ref[i]); cMax = Math.max(cMax, d); if (d) n++; oMax = Math.max(oMax, Math.abs(ours[i] - out[i])); }
  console.log(`x${factor}: SSE2-semantics reference vs sharp max ${cMax} (${n} px); ours vs it max ${oMax}`);
}
