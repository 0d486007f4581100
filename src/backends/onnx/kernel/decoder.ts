/**
 * A decode step in the kernel: the Llama-family block of the plan, layer by layer, on
 * the kernel's memory. The KV cache is float32 `[layer][k|v][kvHeads][cap][d]` at the end
 * of the memory; it grows in place (and `reset()` keeps it: the next request reuses it).
 * Rows go through in runs of `ROWS` at most; with a scale per activation row, a prompt
 * gives the same numbers whole or in chunks.
 */
import { EdgewiseError } from '../../../errors.js';
import type { StepDecoder } from '../decoder.js';
import type { KernelWeights, KMatrix } from './load.js';
import { pad16 } from './load.js';
import type { KernelThreads } from './threads.js';

/** Rows per pass through the layers: a prefill run of up to 1.5 × KERNEL_PREFILL_CHUNK goes in one pass (each pass streams every weight once); scratch stays under 8 MB at 135M. */
export const ROWS = 192;
/** The cache grows by this many positions at a time. */
const CACHE_STEP = 256;

export class KernelDecoder implements StepDecoder {
  private pastLength = 0;
  private cap = 0;
  private cache = 0;
  private readonly s: Record<'ids' | 'x' | 'xn' | 'q16' | 'qs' | 'qkv' | 'att' | 'out' | 'gu' | 'act' | 'scores' | 'logits', number>;
  private readonly scoresPerThread: number;
  private readonly dims: { h: number; hp: number; qd: number; qdp: number; kvd: number; nqkv: number; i: number; ip: number; v: number };

  /** `threads`: helpers sharing `w.mem` (a shared memory); without them the kernel runs on this thread alone. */
  constructor(private readonly w: KernelWeights, private readonly contextLength: number, private readonly threads?: KernelThreads) {
    const p = w.plan;
    const h = p.hidden, qd = p.numHeads * p.headDim, kvd = p.kvHeads * p.headDim, i = p.intermediate;
    this.dims = { h, hp: pad16(h), qd, qdp: pad16(qd), kvd, nqkv: qd + 2 * kvd, i, ip: pad16(i), v: w.head.n };
    const d = this.dims;
    const m = w.mem;
    // Each thread's attention scratch: one row of scores per query head of a group, and their peaks.
    const group = p.numHeads / p.kvHeads;
    this.scoresPerThread = group * (contextLength + 1);
    const f = (n: number): number => m.alloc(n * 4);
    this.s = {
      ids: f(ROWS), x: f(ROWS * h), xn: f(ROWS * Math.max(h, qd)), q16: m.alloc(ROWS * Math.max(d.hp, d.qdp, d.ip) * 2), qs: f(ROWS),
      qkv: f(ROWS * d.nqkv), att: f(ROWS * qd), out: f(ROWS * h), gu: f(ROWS * 2 * i), act: f(ROWS * i), scores: f(this.scoresPerThread * (threads?.count ?? 1)), logits: f(d.v),
    };
    this.growCache(Math.min(contextLength, CACHE_STEP));
  }

  get length(): number {
    return this.pastLength;
  }

  reset(): void {
    this.pastLength = 0;
  }

  async step(ids: readonly number[]): Promise<Float32Array> {
    const { v } = this.dims;
    if (this.pastLength + ids.length > this.contextLength) throw new EdgewiseError('context_overflow', `The context holds ${this.contextLength} tokens; this step would make ${this.pastLength + ids.length}.`);
    for (const id of ids) if (!(Number.isInteger(id) && id >= 0 && id < v)) throw new EdgewiseError('runtime_error', `Token id ${id} is outside the model's vocabulary of ${v}.`);
    if (this.pastLength + ids.length > this.cap) this.growCache(Math.min(this.contextLength, Math.ceil((this.pastLength + ids.length) / CACHE_STEP) * CACHE_STEP));
    for (let at = 0; at < ids.length; at += ROWS) this.rows(ids.slice(at, at + ROWS), at + ROWS >= ids.length);
    return this.w.mem.f32(this.s.logits, v).slice();
  }

  /** One run of rows through every layer; the last run also computes the logits of its last row. */
  private rows(ids: readonly number[], last: boolean): void {
    const { w, s, dims: d } = this;
    const { mem } = w;
    const k = mem.k;
    const p = w.plan;
    const M = ids.length;
    const pos = this.pastLength;
    mem.i32(s.ids, M).set(ids);
    if ('floats' in w.embed) {
      const table = w.embed.floats;
      const x = mem.f32(s.x, M * d.h);
      ids.forEach((id, r) => x.set(mem.f32(table + id * d.h * 4, d.h), r * d.h));
    } else {
      k.embed(w.embed.rows.w, w.embed.rows.scale, w.embed.rows.kp, d.h, s.ids, M, s.x);
    }
    const layerBytes = 2 * p.kvHeads * this.cap * p.headDim * 4;
    const rowOps = this.threads ?? k;
    w.layers.forEach((l, i) => {
      if (i === 0) k.rmsNorm(s.x, l.inNorm, s.xn, M, d.h, p.eps);
      else rowOps.addRmsNorm(s.x, s.out, l.inNorm, s.xn, M, d.h, p.eps);
      this.matmul(l.qkv, s.xn, M, s.qkv, d.nqkv);
      k.rope(s.qkv, M, d.nqkv, p.numHeads, p.headDim, w.cos, w.sin, pos, w.interleaved ? 1 : 0);
      k.rope(s.qkv + d.qd * 4, M, d.nqkv, p.kvHeads, p.headDim, w.cos, w.sin, pos, w.interleaved ? 1 : 0);
      const keys = this.cache + i * layerBytes;
      const values = keys + layerBytes / 2;
      k.toCache(s.qkv, d.nqkv, d.qd, M, p.kvHeads, p.headDim, keys, this.cap, pos);
      k.toCache(s.qkv, d.nqkv, d.qd + d.kvd, M, p.kvHeads, p.headDim, values, this.cap, pos);
      if (this.threads) this.threads.attention(s.qkv, d.nqkv, keys, values, this.cap, s.att, d.qd, M, pos, p.numHeads, p.kvHeads, p.headDim, s.scores, this.scoresPerThread * 4);
      else k.attention(s.qkv, d.nqkv, keys, values, this.cap, s.att, d.qd, M, pos, p.numHeads, p.kvHeads, p.headDim, 0, p.numHeads, s.scores);
      this.matmul(l.o, s.att, M, s.out, d.h);
      rowOps.addRmsNorm(s.x, s.out, l.postNorm, s.xn, M, d.h, p.eps);
      this.matmul(l.gateUp, s.xn, M, s.gu, 2 * d.i);
      rowOps.siluMul(s.gu, 2 * d.i, d.i, s.act, M, d.i);
      this.matmul(l.down, s.act, M, s.out, d.h);
    });
    this.pastLength += M;
    if (!last) return;
    k.addRmsNorm(s.x, s.out, w.finalNorm, s.xn, M, d.h, p.eps);
    this.matmul(w.head, s.xn + (M - 1) * d.h * 4, 1, s.logits, d.v);
  }

  /** y = x · Wᵀ for M rows of x (K floats each) into rows of `ldy`. */
  private matmul(m: KMatrix, x: number, M: number, y: number, ldy: number): void {
    const { k } = this.w.mem;
    (this.threads ?? k).quantRows(x, M, m.k, m.kp, this.s.q16, this.s.qs);
    if (this.threads) this.threads.matmul(m.w, m.scale, 0, this.s.q16, this.s.qs, y, ldy, M, m.kp, 0, m.n);
    else k.matmul(m.w, m.scale, 0, this.s.q16, this.s.qs, y, ldy, M, m.kp, 0, m.n);
  }

  /** Stops the helper threads; the memory goes with the last reference to the decoder. */
  dispose(): void {
    this.threads?.dispose();
  }

  /** Moves each cache block to its place for the larger capacity, last first (the blocks only move up). */
  private growCache(cap: number): void {
    const { mem, plan: p } = this.w;
    const blocks = p.layers.length * 2 * p.kvHeads;
    const bytes = blocks * cap * p.headDim * 4;
    if (this.cap === 0) {
      this.cache = mem.alloc(bytes);
    } else {
      if (mem.end !== this.cache + blocks * this.cap * p.headDim * 4) throw new Error('the KV cache is not the last region of the kernel memory');
      mem.extendTo(this.cache + bytes);
      const all = mem.f32(this.cache, blocks * cap * p.headDim);
      const used = this.pastLength * p.headDim;
      for (let b = blocks - 1; b > 0; b--) all.copyWithin(b * cap * p.headDim, b * this.cap * p.headDim, b * this.cap * p.headDim + used);
    }
    this.cap = cap;
  }
}
