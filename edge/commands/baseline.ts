// `driftwatch baseline <build|inspect>`.
import { runBaselineBuild, baselineBuildHelp } from './baseline-build.js';
import { runBaselineInspect, baselineInspectHelp } from './baseline-inspect.js';
import { UsageError, type CommandIO } from '../command-io.js';

export const baselineHelp = `Usage: driftwatch baseline <build|inspect> ...

  build <folder> -o <file>   a baseline from the images a model was validated on
  inspect <file> [--json]    check a baseline file and print what it holds

${baselineBuildHelp.split('\n')[0]}
${baselineInspectHelp.split('\n')[0]}
Run 'driftwatch baseline <build|inspect> --help' for their options.`;

export async function runBaseline(argv: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(baselineHelp);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'build') return runBaselineBuild(rest, io);
  if (sub === 'inspect') return runBaselineInspect(rest, io);
  throw new UsageError(`unknown baseline command '${sub}' (build or inspect)`);
}
