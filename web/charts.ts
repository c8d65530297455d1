// The review page's charts, all uPlot: a test statistic over time with the
// alert episodes shaded, a window-vs-baseline ECDF, and histograms as bars.
import uPlot from 'uplot';

const WIDTH = 540;
const HEIGHT = 240;
const WINDOW_COLOUR = '#0969da';
const BASELINE_COLOUR = '#6e7781';

function replace(target: HTMLElement, options: uPlot.Options, data: uPlot.AlignedData): uPlot {
  target.replaceChildren();
  return new uPlot(options, data, target);
}

/** One feature's statistic per check, with 1 where an alert episode was open (pending or firing), drawn as a shaded band. */
export function drawStatisticOverTime(target: HTMLElement, feature: string, frames: number[], statistic: Array<number | null>, effect: Array<number | null>, inAlert: number[]): uPlot {
  return replace(target, {
    width: WIDTH, height: HEIGHT,
    scales: { x: { time: false }, alert: { range: [0, 1] } },
    axes: [{ label: 'frame' }, { label: `${feature}: statistic` }, { scale: 'effect', side: 1, label: 'effect', grid: { show: false } }],
    series: [
      { label: 'frame' },
      { label: 'alert open', scale: 'alert', stroke: 'rgba(207,34,46,0)', fill: 'rgba(207,34,46,0.15)', paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      { label: 'statistic', stroke: WINDOW_COLOUR, width: 2 },
      { label: 'effect', scale: 'effect', stroke: '#bf8700', width: 1, dash: [4, 3] },
    ],
  }, [frames, inAlert, statistic, effect]);
}

export function drawEcdf(target: HTMLElement, feature: string, x: number[], window: number[], baseline: number[] | null): uPlot {
  const series: uPlot.Series[] = [{ label: feature }, { label: 'window', stroke: WINDOW_COLOUR, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } }];
  const data: Array<Array<number | null>> = [x, window];
  if (baseline) {
    series.push({ label: 'baseline (sketch)', stroke: BASELINE_COLOUR, width: 2, dash: [6, 4], points: { show: false } });
    data.push(baseline);
  }
  return replace(target, {
    width: WIDTH, height: HEIGHT,
    scales: { x: { time: false }, y: { range: [0, 1] } },
    axes: [{ label: feature }, { label: 'fraction ≤ x' }],
    series,
  }, data as uPlot.AlignedData);
}

export function drawHistogram(target: HTMLElement, name: string, window: number[], baseline: number[] | null): uPlot {
  const bins = window.map((_, i) => i);
  const series: uPlot.Series[] = [
    { label: `${name} bin` },
    { label: 'window', fill: 'rgba(9,105,218,0.45)', stroke: WINDOW_COLOUR, paths: uPlot.paths.bars!({ size: [0.9, 64] }), points: { show: false } },
  ];
  const data: number[][] = [bins, window];
  if (baseline) {
    series.push({ label: 'baseline', stroke: BASELINE_COLOUR, width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } });
    data.push(baseline);
  }
  return replace(target, {
    width: WIDTH, height: HEIGHT,
    scales: { x: { time: false } },
    axes: [{ label: name === 'hue' ? 'hue bin (10°)' : 'luma' }, { label: 'share of pixels' }],
    series,
  }, data as uPlot.AlignedData);
}
