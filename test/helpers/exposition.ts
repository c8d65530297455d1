// An independent reader of the Prometheus text exposition format (0.0.4),
// written from the format's rules, to check what GET /metrics serves.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string | null;
  type: string | null;
  samples: Sample[];
}

function unescapeLabel(text: string): string {
  return text.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text))) {
    if (match[1] in labels) throw new Error(`label ${match[1]} repeated in {${text}}`);
    labels[match[1]] = unescapeLabel(match[2]);
  }
  if (pattern.lastIndex !== text.length && text.trim() !== '') throw new Error(`bad labels {${text}}`);
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  // Prometheus reads floats with Go's ParseFloat, which takes NaN in any case (prom-client writes 'Nan').
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad sample value '${text}'`);
  return value;
}

// A sample belongs to the family whose name it extends by a histogram or summary suffix.
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  if (families.has(sample)) return families.get(sample);
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family && (family.type === 'histogram' || family.type === 'summary') ? family : undefined;
}

/** Families by name; throws on any line that breaks the format. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: null, type: null, samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      const f = family(comment[2]);
      if (f.samples.length > 0) throw new Error(`${comment[1]} for ${f.name} after its samples`);
      if (comment[1] === 'HELP') f.help = comment[3];
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(comment[3])) throw new Error(`unknown type ${comment[3]}`);
        f.type = comment[3];
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const f = familyOf(sample[1], families);
    if (!f) throw new Error(`sample ${sample[1]} has no # TYPE before it`);
    f.samples.push({ name: sample[1], labels: parseLabels(sample[2] ?? ''), value: parseValue(sample[3]) });
  }
  return families;
}

/** The value of the sample with exactly these labels, or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      const keys = Object.keys(s.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => labels[k] === s.labels[k])) return s.value;
    }
  }
  return undefined;
}
