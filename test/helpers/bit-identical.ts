// Compares what another runtime computed (reported as IEEE-754 bit patterns by
// test/fixtures/smoke-stats.mjs) with Node's own result, number by number.
import * as assert from 'uvu/assert';
import type { FrameStats } from '../../edge/library.js';
import { loadBuild } from './builds.js';
import type { SmokeFrame } from './smoke-frame.js';

/** One build's result as another runtime reports it. */
export interface RemoteBuildResult {
  simd: boolean;
  width: number;
  height: number;
  /** Feature name → 16 hex digits of its float64 bit pattern. */
  features: Record<string, string>;
  histograms: Record<string, number[]>;
}

/** 'default' is loadKernels() with no options; 'scalar' is loadKernels({ simd: false }). */
export interface RemoteResults {
  default: RemoteBuildResult;
  scalar: RemoteBuildResult;
}

export function float64Hex(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function mismatches(remote: RemoteBuildResult, node: FrameStats): string[] {
  const found: string[] = [];
  if (remote.width !== node.width || remote.height !== node.height) {
    found.push(`size ${remote.width}×${remote.height}, Node ${node.width}×${node.height}`);
  }
  const names = new Set([...Object.keys(node.features), ...Object.keys(remote.features)]);
  for (const name of names) {
    const mine = (node.features as Record<string, number>)[name];
    const theirs = remote.features[name];
    const want = mine === undefined ? 'missing' : float64Hex(mine);
    if (theirs !== want) found.push(`feature ${name}: bits ${theirs ?? 'missing'}, Node ${want} (${mine})`);
  }
  const histograms = new Set([...Object.keys(node.histograms), ...Object.keys(remote.histograms)]);
  for (const name of histograms) {
    const mine = (node.histograms as Record<string, Uint32Array>)[name];
    const theirs = remote.histograms[name];
    if (!mine || !theirs || mine.length !== theirs.length) {
      found.push(`histogram ${name}: ${theirs?.length ?? 'no'} bins, Node ${mine?.length ?? 'no'} bins`);
      continue;
    }
    mine.forEach((count, bin) => {
      if (theirs[bin] !== count) found.push(`histogram ${name}[${bin}]: ${theirs[bin]}, Node ${count}`);
    });
  }
  return found;
}

/** Fails unless the runtime picked SIMD by default and matched Node bit for bit on both builds. */
export async function assertBitIdenticalToNode(runtime: string, frame: SmokeFrame, remote: RemoteResults): Promise<void> {
  assert.is(remote.default.simd, true, `${runtime}: loadKernels() should pick the SIMD build by default`);
  assert.is(remote.scalar.simd, false, `${runtime}: loadKernels({ simd: false }) should load the scalar build`);
  const options = { width: frame.width, height: frame.height, format: frame.format };
  const cases = [['default (SIMD)', remote.default, 'simd'], ['scalar', remote.scalar, 'scalar']] as const;
  for (const [label, result, build] of cases) {
    const node = (await loadBuild(build)).frameStats(frame.pixels, options);
    const found = mismatches(result, node);
    assert.ok(found.length === 0,
      `${runtime}, ${label} build on ${frame.file}: ${found.length} values differ from Node:\n  ${found.slice(0, 20).join('\n  ')}`);
  }
}
