// The topic filters `driftwatch watch` subscribes to.
import { TOPIC_ROOT, checkTopicLevel } from '../../src/envelope/topics.js';
import { UsageError } from '../command-io.js';
import type { ReceivedKind } from './decode-message.js';

export interface WatchSelection {
  device?: string;
  camera?: string;
  birth: boolean;
}

function level(value: string | undefined, flag: string): string {
  if (value === undefined) return '+';
  try {
    return checkTopicLevel(value, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** driftwatch/v1/<device|+>/alert/<camera|+>, .../state and (with birth) .../birth, all QoS 1. */
export function watchFilters(selection: WatchSelection): Record<string, { qos: 1 }> {
  const device = level(selection.device, '--device');
  const camera = level(selection.camera, '--camera');
  const filters: Record<string, { qos: 1 }> = {
    [`${TOPIC_ROOT}/${device}/alert/${camera}`]: { qos: 1 },
    [`${TOPIC_ROOT}/${device}/state`]: { qos: 1 },
  };
  if (selection.birth) filters[`${TOPIC_ROOT}/${device}/birth`] = { qos: 1 };
  return filters;
}

export function watchKinds(selection: WatchSelection): ReceivedKind[] {
  return selection.birth ? ['alert', 'state', 'birth'] : ['alert', 'state'];
}
