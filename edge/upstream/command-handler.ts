// Commands from cmd/#: each is parsed (size before decoding, then schema),
// carried out one at a time, and answered on reply with ok or the reason
// it was refused. A refused command changes nothing.
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { CommandError, parseCommand, type Command } from '../../src/envelope/commands.js';

/** What commands act on (the agent, as run.ts wires it). */
export interface CommandTargets {
  cameras: readonly string[];
  /** Validates and puts a baseline in place for a camera; throws (changing nothing) when it cannot be used. */
  rebaseline(camera: string, bytes: Uint8Array, origin: string): Promise<{ digest: string }>;
  /** Re-reads the configuration; applies what can change while running. */
  reload(): Promise<{ applied: string[]; restartNeeded: string[] }>;
  summaryNow(camera: string | null): Promise<{ cameras: string[] }>;
  rebirth(): Promise<void>;
  reply(command: string, requestId: string | null, outcome: { ok: true; result?: unknown } | { ok: false; error: string }): Promise<void>;
  counted(result: 'ok' | 'rejected'): void;
}

export const COMMAND_MAX_BYTES = 16 * 1024 * 1024;

export class CommandHandler {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly targets: CommandTargets, private readonly log: Logger, private readonly maxBytes = COMMAND_MAX_BYTES) {}

  /** Queues a command (commands run one at a time, in arrival order). */
  receive(name: string, payload: Uint8Array): Promise<void> {
    this.queue = this.queue.then(() => this.run(name, payload));
    return this.queue;
  }

  /** Resolves when every command received so far has been answered. */
  idle(): Promise<void> { return this.queue; }

  private async run(name: string, payload: Uint8Array): Promise<void> {
    let command: Command;
    try {
      command = parseCommand(name, payload, { maxBytes: this.maxBytes });
    } catch (error) {
      const message = error instanceof CommandError ? error.message : `${name}: ${(error as Error).message}`;
      await this.answer(name.slice(0, 64), null, { ok: false, error: message });
      return;
    }
    try {
      const result = await this.carryOut(command);
      await this.answer(command.name, command.requestId, { ok: true, result });
    } catch (error) {
      await this.answer(command.name, command.requestId, { ok: false, error: `${command.name}: ${(error as Error).message}` });
    }
  }

  private async carryOut(command: Command): Promise<unknown> {
    switch (command.name) {
      case 'rebaseline': {
        if (!this.targets.cameras.includes(command.camera)) throw new RangeError(`no camera '${command.camera}' on this device (cameras: ${this.targets.cameras.join(', ')})`);
        const bytes = command.baseline ?? await this.readLocal(command.path!);
        return this.targets.rebaseline(command.camera, bytes, command.baseline ? 'the command payload' : command.path!);
      }
      case 'reload': return this.targets.reload();
      case 'summary-now': {
        if (command.camera !== null && !this.targets.cameras.includes(command.camera)) throw new RangeError(`no camera '${command.camera}' on this device`);
        return this.targets.summaryNow(command.camera);
      }
      case 'rebirth': await this.targets.rebirth(); return null;
    }
  }

  private async readLocal(path: string): Promise<Uint8Array> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (size > this.maxBytes) throw new RangeError(`${path} is ${size} bytes, over the limit of ${this.maxBytes}`);
    return new Uint8Array(await readFile(path));
  }

  private async answer(command: string, requestId: string | null, outcome: { ok: true; result?: unknown } | { ok: false; error: string }): Promise<void> {
    this.targets.counted(outcome.ok ? 'ok' : 'rejected');
    if (outcome.ok) this.log.info({ command, requestId }, 'command carried out');
    else this.log.warn({ command, requestId, error: outcome.error }, 'command refused');
    try {
      await this.targets.reply(command, requestId, outcome);
    } catch (error) {
      this.log.error({ command, err: { message: (error as Error).message } }, 'could not queue the reply');
    }
  }
}
