/**
 * Where one file's bytes go: straight into the exact-size buffer that is returned, cut
 * into fixed-size chunks that are hashed, checksummed and (when caching) stored one by
 * one with the partial record that counts them. Besides the result buffer it holds at
 * most one chunk-sized copy (the value handed to IndexedDB).
 *
 * A sink that does not keep the file (`keep: false`, for weights read back by range) holds
 * only the chunk being filled: a 400 MB download then costs 4 MB of memory, not 400.
 */
import { EdgewiseError } from '../errors.js';
import type { BodyTarget, RemoteInfo } from './download.js';
import { notAModel } from './download.js';
import { deleteFile, putChunk, putRecords, type FileRecord, type ManifestRecord, type PartialRecord, type UseStore } from './idb.js';
import { chunkChecksum, createFileHasher, looksLikeHtml, sameDigest, SNIFF_BYTES, type IHasher } from './integrity.js';
import type { ProgressTracker } from './progress.js';

/** Identity of the file a sink fills. */
export interface SinkFile {
  model: string;
  path: string;
  url: string;
  baseUrl: string;
  /** Expected sha256 (hex), when the caller knows it. */
  sha256: string | undefined;
}

/** Receives one file's body (see the module comment); create with {@link FileSink.create}. */
export class FileSink implements BodyTarget {
  readonly #file: SinkFile;
  /** Undefined for `cache: false`: nothing touches storage. */
  readonly #store: UseStore | undefined;
  readonly #tracker: ProgressTracker;
  readonly #hasher: IHasher;
  readonly #chunkSize: number;
  #buf: Uint8Array;
  #offset = 0;
  /** Bytes in complete chunks: hashed, checksummed and (when caching) stored. */
  #stored = 0;
  #size: number | undefined;
  #etag: string | null;
  #checksums: string[] = [];
  #sniffed = false;
  /** False: the buffer holds only the bytes after `#stored` (one chunk at most). */
  #keep: boolean;

  private constructor(file: SinkFile, store: UseStore | undefined, tracker: ProgressTracker, hasher: IHasher, chunkSize: number, remote: RemoteInfo, whole?: Uint8Array, keep = true) {
    this.#file = file;
    this.#store = store;
    this.#tracker = tracker;
    this.#hasher = hasher;
    this.#chunkSize = chunkSize;
    this.#size = remote.size;
    this.#etag = remote.etag;
    // Only stored chunks of a known size can be read back: anything else is kept.
    this.#keep = keep || !store || remote.size === undefined;
    this.#buf = whole ?? new Uint8Array(this.#keep ? remote.size ?? 0 : chunkSize);
    if (whole) this.#offset = whole.length;
  }

  /** `keep: false` stores the file without holding it: `finish()` then answers no bytes (read it back from the cache). */
  static async create(file: SinkFile, store: UseStore | undefined, tracker: ProgressTracker, chunkSize: number, remote: RemoteInfo, keep = true): Promise<FileSink> {
    return new FileSink(file, store, tracker, await createFileHasher(), chunkSize, remote, undefined, keep);
  }

  /**
   * A sink for bytes already whole in memory (a weight rewrite being stored): it takes the
   * buffer as its own instead of copying it (a second 1.7 GB at SmolLM2-1.7B's shape), and
   * `finish()` stores it chunk by chunk.
   */
  static async of(file: SinkFile, store: UseStore, tracker: ProgressTracker, chunkSize: number, bytes: Uint8Array, etag: string): Promise<FileSink> {
    return new FileSink(file, store, tracker, await createFileHasher(), chunkSize, { size: bytes.length, etag }, bytes);
  }

  get offset(): number { return this.#offset; }
  get size(): number | undefined { return this.#size; }
  get etag(): string | null { return this.#etag; }
  get storedBytes(): number { return this.#stored; }
  /** True when `finish()` answers the file's bytes. */
  get keeps(): boolean { return this.#keep; }
  /** The whole file once every stored chunk was taken (a kept file only). */
  get buffer(): Uint8Array { return this.#buf; }

  /** The next stored chunk, read back and checked against its checksum (before any write). */
  takeStored(chunk: Uint8Array): void {
    // A kept file is hashed in resumeAfter, only if it turns out to need a resume.
    if (this.#keep) this.#buf.set(chunk, this.#offset);
    else this.#hasher.update(chunk);
    this.#offset += chunk.length;
  }

  /**
   * Continues after the first `bytes` of the file, taken from storage: they are hashed
   * (again), so the sha256 state survives any resume.
   */
  resumeAfter(bytes: number, checksums: readonly string[]): void {
    if (this.#keep) this.#hasher.update(this.#buf.subarray(0, bytes));
    this.#offset = this.#stored = bytes;
    this.#checksums = checksums.slice(0, bytes / this.#chunkSize);
    this.#sniffed = bytes > 0;
  }

  async begin(info: RemoteInfo, from: number): Promise<void> {
    if (from > 0) return;
    if (this.#offset > 0 || this.#stored > 0) await this.drop();
    this.#size = info.size ?? this.#size;
    this.#etag = info.etag;
    if (this.#size === undefined && !this.#keep) this.#keep = true;
    if (this.#keep && this.#buf.length !== (this.#size ?? 0)) this.#buf = new Uint8Array(this.#size ?? 0);
    if (this.#size !== undefined) this.#tracker.setTotal(this.#file.path, this.#size);
  }

  async write(piece: Uint8Array): Promise<void> {
    const end = this.#offset + piece.length;
    if (this.#size !== undefined && end > this.#size) {
      throw this.#integrity(`${this.#file.url} sent more than the ${this.#size} bytes its headers announced`);
    }
    if (!this.#keep) return this.#writeThrough(piece);
    if (end > this.#buf.length) this.#grow(end);
    this.#buf.set(piece, this.#offset);
    this.#offset = end;
    if (!this.#sniffed && this.#offset >= SNIFF_BYTES) this.#sniff();
    // Without a known size there is no partial record to resume from: keep bytes in memory.
    while (this.#size !== undefined && this.#offset - this.#stored >= this.#chunkSize) {
      await this.#flush(this.#stored + this.#chunkSize);
    }
    this.#tracker.update(this.#file.path, this.#offset, 'network');
  }

  /** Not kept: the piece fills the one chunk buffer, stored each time it is full. */
  async #writeThrough(piece: Uint8Array): Promise<void> {
    for (let at = 0; at < piece.length;) {
      const n = Math.min(this.#chunkSize - (this.#offset - this.#stored), piece.length - at);
      this.#buf.set(piece.subarray(at, at + n), this.#offset - this.#stored);
      this.#offset += n;
      at += n;
      if (!this.#sniffed && this.#offset >= SNIFF_BYTES) this.#sniff();
      if (this.#offset - this.#stored === this.#chunkSize) await this.#flush(this.#stored + this.#chunkSize);
    }
    this.#tracker.update(this.#file.path, this.#offset, 'network');
  }

  /**
   * Stores the last chunk, checks size and sha256, then writes the manifest last.
   * @returns the file's bytes, exactly `size` long (empty when not kept).
   */
  async finish(signal?: AbortSignal): Promise<{ bytes: Uint8Array; record: ManifestRecord | undefined }> {
    if (!this.#sniffed) this.#sniff();
    this.#size ??= this.#offset;
    if (this.#offset !== this.#size) throw this.#integrity(`${this.#file.url}: got ${this.#offset} of ${this.#size} bytes`);
    while (this.#stored < this.#size) {
      // Storing a whole rewrite takes seconds: an abort stops it between chunks.
      if (signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted while the weights were being stored.');
      await this.#flush(Math.min(this.#size, this.#stored + this.#chunkSize));
    }
    const sha256 = this.#hasher.digest('hex');
    if (this.#file.sha256 !== undefined && !sameDigest(sha256, this.#file.sha256)) {
      await this.drop();
      throw this.#integrity(`${this.#file.url} does not match its sha256 (expected ${this.#file.sha256}, got ${sha256}); nothing was kept. The file on the server changed or is damaged: check the model URL and the expected hash.`);
    }
    const bytes = !this.#keep ? new Uint8Array(0) : this.#buf.length === this.#size ? this.#buf : this.#buf.slice(0, this.#size);
    if (!this.#store) return { bytes, record: undefined };
    const now = Date.now();
    const record: ManifestRecord = {
      ...this.#base(now), state: 'complete', size: this.#size, chunkCount: this.#checksums.length, sha256, storedAt: now,
    };
    await putRecords(this.#store, [record]);
    return { bytes, record };
  }

  /** Forgets everything of this file, in memory and in storage. */
  async drop(): Promise<void> {
    this.#offset = this.#stored = 0;
    this.#checksums = [];
    this.#sniffed = false;
    this.#hasher.init();
    if (this.#store) await deleteFile(this.#store, this.#file.model, this.#file.path);
  }

  async #flush(to: number): Promise<void> {
    const from = this.#keep ? this.#stored : 0;
    const bytes = this.#buf.subarray(from, from + to - this.#stored);
    this.#hasher.update(bytes);
    this.#checksums.push(await chunkChecksum(bytes));
    if (this.#store && this.#size !== undefined) {
      const record: PartialRecord = { ...this.#base(Date.now()), state: 'partial', size: this.#size, bytes: to };
      // slice(): a view would make IndexedDB clone the whole result buffer.
      await putChunk(this.#store, this.#checksums.length - 1, bytes.slice().buffer, record);
    }
    this.#stored = to;
  }

  #base(now: number): Omit<FileRecord, 'state' | 'size'> {
    const { model, path, url, baseUrl } = this.#file;
    return { model, path, url, baseUrl, chunkSize: this.#chunkSize, etag: this.#etag, checksums: [...this.#checksums], lastUsed: now };
  }

  #sniff(): void {
    this.#sniffed = true;
    if (looksLikeHtml(this.#buf.subarray(0, Math.min(this.#offset, SNIFF_BYTES)))) {
      throw notAModel(this.#file.url, 'starts like an HTML page (<!doctype or <html)');
    }
  }

  #grow(min: number): void {
    const next = new Uint8Array(Math.max(min, this.#buf.length * 2, 64 * 1024));
    next.set(this.#buf.subarray(0, this.#offset));
    this.#buf = next;
  }

  #integrity(message: string): EdgewiseError {
    return new EdgewiseError('integrity_error', message, { details: { url: this.#file.url, file: this.#file.path } });
  }
}
