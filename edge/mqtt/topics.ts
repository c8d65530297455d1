// The topics of one device (docs/mqtt.md) and the MQTT 5 content type hint.

export const TOPIC_ROOT = 'driftwatch/v1';

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
  // The device id is a topic level: the config's identifier type already
  // refuses '/', '+', '#'; refuse them here too rather than widen a subscription.
  if (device === '' || /[/+#\u0000]/.test(device)) throw new TypeError(`device id cannot be an MQTT topic level: '${device}'`);
  const base = `${TOPIC_ROOT}/${device}`;
  return { state: `${base}/state`, birth: `${base}/birth`, commands: `${base}/cmd/#`, commandPrefix: `${base}/cmd/` };
}

/** The kind of a device topic (`summary`, `alert`, `state`, ...): its fourth level. */
export function topicKind(topic: string): string | undefined {
  const levels = topic.split('/');
  return levels.length >= 4 && `${levels[0]}/${levels[1]}` === TOPIC_ROOT ? levels[3] : undefined;
}

export function contentType(kind: string): string {
  return `application/vnd.driftwatch.${kind}+msgpack;v=1`;
}
