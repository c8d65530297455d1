// The topics the link itself uses for one device, built by the payload
// module (src/envelope/topics.ts, docs/payload.md), and the MQTT 5 content
// type hint.
import { checkTopicLevel, parseTopic, topicFor } from '../../src/envelope/topics.js';

export interface DeviceTopics {
  /** Retained online/offline state; the Will's topic. */
  state: string;
  /** Published (not retained) after every connect, right after the online state. */
  birth: string;
  /** What the agent subscribes to. */
  commands: string;
  /** Prefix of command topics: the command's name follows it. */
  commandPrefix: string;
}

export function deviceTopics(device: string): DeviceTopics {
  // Refused here too rather than widen a subscription with '+' or '#'.
  checkTopicLevel(device, 'device id');
  const prefix = topicFor(device, 'cmd', 'x').slice(0, -1);
  return { state: topicFor(device, 'state'), birth: topicFor(device, 'birth'), commands: `${prefix}#`, commandPrefix: prefix };
}

/** The kind of a device topic (`summary`, `alert`, `state`, ...), or undefined for a topic that is not ours. */
export function topicKind(topic: string): string | undefined {
  return parseTopic(topic)?.kind;
}

export function contentType(kind: string): string {
  return `application/vnd.driftwatch.${kind}+msgpack;v=1`;
}
