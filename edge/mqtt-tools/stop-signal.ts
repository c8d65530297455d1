// Resolves on the first SIGTERM or SIGINT, and stops listening for them.
export function signalled(): { promise: Promise<NodeJS.Signals>; cancel(): void } {
  let handler: (signal: NodeJS.Signals) => void = () => undefined;
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    handler = (signal) => { cancel(); resolve(signal); };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
  const cancel = () => { process.off('SIGTERM', handler); process.off('SIGINT', handler); };
  return { promise, cancel };
}

