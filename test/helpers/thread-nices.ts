// The nice value of each thread of a process, by thread id (Linux: field 19
// of /proc/<pid>/task/<tid>/stat, counted after the command name).
import { readdir, readFile } from 'node:fs/promises';

export async function threadNices(pid: number): Promise<Map<number, number>> {
  const nices = new Map<number, number>();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue; // the thread ended between the listing and the read
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(tid), Number(fields[16]));
  }
  return nices;
}
