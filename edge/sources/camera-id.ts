// Camera ids name a monitor, a metric label and an MQTT topic level, so they
// are kept to a small safe alphabet.
const CAMERA_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function isCameraId(value: unknown): value is string {
  return typeof value === 'string' && CAMERA_ID.test(value);
}

/** Returns `value` if it is a valid camera id, else throws a RangeError naming `what`. */
export function checkCameraId(value: unknown, what: string): string {
  if (isCameraId(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  throw new RangeError(`${what}: camera id ${shown} is not valid (1 to 64 of A-Z a-z 0-9 _ . -)`);
}
