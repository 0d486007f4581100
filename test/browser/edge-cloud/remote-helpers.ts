/** Driving the OpenAI-compatible test server from the page: faults, log, reset. */
import { REMOTE_SERVER } from '../helpers.js';

export interface RemoteLogEntry {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  dropped: boolean;
  closedEarly: boolean;
}

const ctl = (path: string): string => new URL(path, REMOTE_SERVER).href;

export async function remoteReset(): Promise<void> {
  await fetch(ctl('/__ctl/reset'), { method: 'POST' });
}

export async function remoteFaults(faults: Record<string, unknown>[]): Promise<void> {
  const r = await fetch(ctl('/__ctl/faults'), { method: 'POST', body: JSON.stringify(faults) });
  if (!r.ok) throw new Error(`faults rejected: ${await r.text()}`);
}

export async function remoteLog(): Promise<RemoteLogEntry[]> {
  return (await fetch(ctl('/__ctl/log'))).json() as Promise<RemoteLogEntry[]>;
}

export const chatCalls = async (): Promise<RemoteLogEntry[]> => (await remoteLog()).filter((e) => e.path.endsWith('/chat/completions'));

/** A remote config against the test server; the token function counts its calls. */
export function testRemote(extra: Record<string, unknown> = {}) {
  let tokens = 0;
  return {
    remote: {
      baseURL: REMOTE_SERVER,
      model: 'test-model',
      token: async () => `tok-${++tokens}`,
      prices: { input: 0.5, output: 1.5 },
      ...extra,
    },
    tokenCalls: () => tokens,
  };
}
