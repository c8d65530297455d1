// Bodies of the lifecycle messages: state (retained, online/offline), birth
// (what the agent runs) and reply (the answer to a command).
import { checkPlainData } from './plain-data.js';
import {
  fail, field, readArray, readBoolean, readCount, readInteger, readMap, readOneOf, readString, readStringOrNull,
} from './payload-error.js';

export interface StateBody { online: boolean; bdSeq: number; ts: number }

export interface BirthCamera { id: string; model: string | null; baseline: string | null; decodeScale: 1 | 2 | 4 | 8; step: number }
export interface BirthBody { agentVersion: string; site: string | null; cameras: BirthCamera[]; catalogue: number; configHash: string | null }

export interface ReplyBody { command: string; requestId: string | null; ok: boolean; error: string | null; result: unknown }

const SCALES = [1, 2, 4, 8] as const;

export function stateBody(input: StateBody): StateBody {
  return decodeStateBody({ online: input?.online, bdSeq: input?.bdSeq, ts: input?.ts });
}

export function decodeStateBody(body: unknown): StateBody {
  const m = readMap(body, 'body');
  return {
    online: readBoolean(field(m, 'online'), 'body.online'),
    bdSeq: readCount(field(m, 'bdSeq'), 'body.bdSeq'),
    ts: readInteger(field(m, 'ts'), 'body.ts'),
  };
}

export function birthBody(input: BirthBody): BirthBody {
  if (input === null || typeof input !== 'object') throw new TypeError('birthBody needs { agentVersion, site, cameras, catalogue, configHash }');
  return decodeBirthBody({
    agentVersion: input.agentVersion, site: input.site ?? null,
    cameras: Array.isArray(input.cameras)
      ? input.cameras.map((c) => ({ id: c?.id, model: c?.model ?? null, baseline: c?.baseline ?? null, decodeScale: c?.decodeScale, step: c?.step }))
      : input.cameras,
    catalogue: input.catalogue, configHash: input.configHash ?? null,
  });
}

function readCamera(value: unknown, path: string): BirthCamera {
  const m = readMap(value, path);
  const step = readCount(field(m, 'step'), `${path}.step`);
  if (step < 1) fail(`${path}.step`, 'an integer >= 1');
  return {
    id: readString(field(m, 'id'), `${path}.id`, 64),
    model: readStringOrNull(field(m, 'model'), `${path}.model`, 256),
    baseline: readStringOrNull(field(m, 'baseline'), `${path}.baseline`, 256),
    decodeScale: readOneOf(field(m, 'decodeScale'), SCALES, `${path}.decodeScale`),
    step,
  };
}

export function decodeBirthBody(body: unknown): BirthBody {
  const m = readMap(body, 'body');
  return {
    agentVersion: readString(field(m, 'agentVersion'), 'body.agentVersion', 64),
    site: readStringOrNull(field(m, 'site'), 'body.site', 256),
    cameras: readArray(field(m, 'cameras'), 'body.cameras', 256).map((c, i) => readCamera(c, `body.cameras[${i}]`)),
    catalogue: readCount(field(m, 'catalogue'), 'body.catalogue'),
    configHash: readStringOrNull(field(m, 'configHash'), 'body.configHash', 256),
  };
}

export function replyBody(input: ReplyBody): ReplyBody {
  if (input === null || typeof input !== 'object') throw new TypeError('replyBody needs { command, requestId, ok, error, result }');
  const result = input.result === undefined ? null : input.result;
  checkPlainData(result, 'body.result');
  return decodeReplyBody({ command: input.command, requestId: input.requestId ?? null, ok: input.ok, error: input.error ?? null, result });
}

export function decodeReplyBody(body: unknown): ReplyBody {
  const m = readMap(body, 'body');
  const ok = readBoolean(field(m, 'ok'), 'body.ok');
  const error = readStringOrNull(field(m, 'error'), 'body.error', 4096);
  if (!ok && error === null) fail('body.error', 'a string when ok is false');
  const result = field(m, 'result');
  return {
    command: readString(field(m, 'command'), 'body.command', 64),
    requestId: readStringOrNull(field(m, 'requestId'), 'body.requestId', 128),
    ok, error, result: result === undefined ? null : result,
  };
}
