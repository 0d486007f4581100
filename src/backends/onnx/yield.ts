/**
 * Yields to the worker's event loop so queued messages (an abort) are handled
 * between decode steps. A MessageChannel task runs sooner than `setTimeout(0)`,
 * which browsers clamp to 4 ms once nested.
 */
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel?.port2.postMessage(0);
  });
}
