/**
 * Frees a buffer's memory now by detaching it (`ArrayBuffer.prototype.transfer(0)`), instead
 * of at a garbage collection: during a first load the collector can come only after the
 * decoder kernel has grown its memory to the model's size, and the peak then counts both.
 * Only for bytes that own their whole buffer and that nothing will read again; a no-op for a
 * view of part of a buffer, a shared or already detached one, or where `transfer` is missing.
 */
export function freeBytes(b: Uint8Array | undefined): void {
  const buf = b?.buffer as (ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean }) | undefined;
  if (!b || !(buf instanceof ArrayBuffer) || b.byteOffset !== 0 || b.byteLength !== buf.byteLength || buf.detached === true || typeof buf.transfer !== 'function') return;
  buf.transfer(0);
}
