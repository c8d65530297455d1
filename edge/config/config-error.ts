// A configuration that cannot run: every problem found, each naming the key
// and where its value came from, so the operator fixes all of them at once.

export type ConfigOrigin =
  | { kind: 'default' }
  | { kind: 'flag'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'file'; file: string };

export interface ConfigProblem {
  /** The config key ('cameras[1].baseline'), or the flag or variable when it has no key. */
  key: string;
  origin: ConfigOrigin;
  /** What is wrong, without the key: "must be an integer >= 1, got 'abc'". */
  message: string;
}

/** Where a value came from, in the words of the error messages and formatConfig. */
export function describeOrigin(origin: ConfigOrigin): string {
  switch (origin.kind) {
    case 'default': return 'default';
    case 'flag': return origin.name;
    case 'env': return origin.name;
    case 'file': return origin.file;
  }
}

// Flags and variables are named as the operator typed them; file values by
// their key, with the file they came from.
export function formatProblem(problem: ConfigProblem): string {
  const { origin } = problem;
  if (origin.kind === 'flag' || origin.kind === 'env') return `${origin.name}: ${problem.message}`;
  if (origin.kind === 'file') return `${problem.key}: ${problem.message} (from ${origin.file})`;
  return `${problem.key}: ${problem.message}`;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }

  /** The first problem's key, the one named first in the message. */
  get key(): string {
    return this.problems[0]?.key ?? '';
  }
}

/** A value's own problem, before it is known which key and origin it belongs to. */
export class ValueProblem extends Error {
  override name = 'ValueProblem';
}
