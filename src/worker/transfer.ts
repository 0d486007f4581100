/**
 * comlink's default `throw` handler keeps only name/message/stack, so an
 * EdgewiseError would arrive as a plain Error. This handler carries the code,
 * details and cause across, and is installed on both sides of the worker.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { EdgewiseError, deserializeError, isEdgewiseError, serializeError, type SerializedError } from '../errors.js';

interface Thrown {
  value: unknown;
}
interface PlainError {
  name: string;
  message: string;
  stack?: string;
}
type Wire = { ours: true; error: SerializedError } | { ours: false; error: PlainError };

function plain(value: unknown): PlainError {
  if (value instanceof Error) {
    const e: PlainError = { name: value.name, message: value.message };
    if (value.stack !== undefined) e.stack = value.stack;
    return e;
  }
  return { name: 'Error', message: String(value) };
}

let installed = false;

/** Installs the error handler once per realm. */
export function installErrorTransfer(): void {
  const builtin = transferHandlers.get('throw');
  if (installed || !builtin) return;
  installed = true;
  const handler: TransferHandler<Thrown, Wire> = {
    // comlink marks thrown values with a private symbol: reuse its own test for it.
    canHandle: (v): v is Thrown => builtin.canHandle(v),
    serialize: ({ value }) => [isEdgewiseError(value) ? { ours: true, error: serializeError(value) } : { ours: false, error: plain(value) }, []],
    deserialize: (w) => {
      if (w.ours) throw deserializeError(w.error);
      // Anything that is not ours was unexpected inside the worker: surface it typed.
      const cause = Object.assign(new Error(w.error.message), w.error);
      throw new EdgewiseError('runtime_error', `The inference worker failed unexpectedly: ${w.error.message}. Please report this with the cause attached.`, { cause });
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
