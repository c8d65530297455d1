// "Export report": the view as one self-contained HTML file. Inline CSS, the
// uPlot charts as PNG data URLs taken from their canvases, the tables (features
// ranked, alert transitions, recorded messages, files that could not be
// processed) and the thumbnails around each alert as data URLs. No scripts:
// the report's own Content-Security-Policy forbids them, and every string
// from the page (file, camera and feature names, errors) is HTML-escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Only data: images the page made (PNG from a canvas, JPEG thumbnails) go into an attribute. */
export function safeImageUrl(url: string): string | null {
  return /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(url) ? url : null;
}

const CLASSES = new Set(['pending', 'firing', 'resolved', 'recorded', 'at-transition']);
const classOf = (element: Element): string => {
  const kept = [...element.classList].filter((c) => CLASSES.has(c));
  return kept.length ? ` class="${kept.join(' ')}"` : '';
};

export const REPORT_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem 2rem 2rem; color: #1b1f24; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; } h3 { font-size: .95rem; margin: .6rem 0 .2rem; }
.meta { color: #57606a; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.charts figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
tr.firing td { background: #ffebe9; } tr.pending td { background: #fff8c5; } tr.resolved td { background: #dafbe1; }
.thumb-strip { display: flex; flex-wrap: wrap; gap: .4rem; }
.thumb-strip figure { margin: 0; font-size: 11px; color: #57606a; max-width: 170px; overflow-wrap: anywhere; }
.thumb-strip figure.at-transition img { outline: 3px solid #cf222e; }
`;

function tableHtml(table: HTMLTableElement | null): string {
  if (!table) return '<p>(none)</p>';
  const head = [...table.tHead?.rows ?? []].map((r) => `<tr>${[...r.cells].map((c) => `<th>${escapeHtml(c.textContent ?? '')}</th>`).join('')}</tr>`).join('');
  const rows = [...table.tBodies].flatMap((b) => [...b.rows]);
  const body = rows.map((r) => `<tr${classOf(r)}>${[...r.cells].map((c) => `<td>${escapeHtml(c.textContent ?? '')}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${escapeHtml(table.id)}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>${rows.length ? '' : '<p>(none)</p>'}`;
}

function chartsHtml(root: Document): string {
  const figures: string[] = [];
  for (const panel of root.querySelectorAll<HTMLElement>('#views .panel')) {
    const canvas = panel.querySelector<HTMLCanvasElement>('.uplot canvas');
    if (!canvas) continue;
    const heading = panel.querySelector('h2');
    const select = heading?.querySelector('select');
    const title = [...heading?.childNodes ?? []].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
    const legend = [...panel.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent ?? '').filter(Boolean).join(' · ');
    const url = safeImageUrl(canvas.toDataURL('image/png'));
    if (!url) continue;
    const width = Math.round(canvas.getBoundingClientRect().width) || canvas.width;
    figures.push(`<figure><figcaption><strong>${escapeHtml(title)}</strong>${select?.value ? `: ${escapeHtml(select.value)}` : ''}</figcaption><img src="${url}" width="${width}" alt="${escapeHtml(title)}"><figcaption class="meta">${escapeHtml(legend)}</figcaption></figure>`);
  }
  return figures.length ? `<div class="charts">${figures.join('\n')}</div>` : '<p>(no charts)</p>';
}

function thumbnailsHtml(root: Document): string {
  const blocks = [...root.querySelectorAll<HTMLElement>('#alert-frames .alert-frames')].map((block) => {
    const title = block.querySelector('h3')?.textContent ?? '';
    const figures = [...block.querySelectorAll('figure')].map((figure) => {
      const img = figure.querySelector('img');
      const url = img ? safeImageUrl(img.src) : null;
      const caption = figure.querySelector('figcaption')?.textContent ?? '';
      return `<figure${classOf(figure)}>${url ? `<img src="${url}" width="${img!.width}" height="${img!.height}" alt="${escapeHtml(caption)}">` : ''}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
    });
    return `<div class="alert-frames"><h3>${escapeHtml(title)}</h3><div class="thumb-strip">${figures.join('')}</div></div>`;
  });
  return blocks.length ? blocks.join('\n') : '<p>(no alert transitions)</p>';
}

export interface ReportMeta { camera: string; status: string; created: Date }

/** The report as one HTML string, from the page's current view. */
export function buildReport(root: Document, meta: ReportMeta): string {
  const table = (id: string) => tableHtml(root.getElementById(id) as HTMLTableElement | null);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>driftwatch report: ${escapeHtml(meta.camera)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>driftwatch report: <span id="camera">${escapeHtml(meta.camera)}</span></h1>
<p class="meta">Exported ${escapeHtml(meta.created.toISOString())} from the driftwatch review page. ${escapeHtml(meta.status)}</p>
<h2>Charts</h2>
${chartsHtml(root)}
<h2>Features ranked by effect size (latest check)</h2>
${table('ranking')}
<h2>Alert transitions</h2>
${table('alerts')}
<h2>Frames around each alert transition</h2>
<div id="alert-frames">${thumbnailsHtml(root)}</div>
<h2>Recorded messages</h2>
${table('recorded')}
<h2>Files that could not be processed</h2>
${table('errors')}
</body>
</html>
`;
}

export function downloadReport(html: string, camera: string): void {
  const blob = new Blob([html], { type: 'text/html' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `driftwatch-report-${camera.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'camera'}.html`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
