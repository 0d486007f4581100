/**
 * What the decoder kernel needs to know about an int8 form, by initializer name: written
 * by the transform into the form's graph (`metadata_props`, key `KERNEL_PLAN_KEY`) when it
 * recognised a Llama-family decoder, read back by `kernel/load.ts`. onnxruntime-web
 * ignores it. A form without it runs on onnxruntime-web.
 */

export const KERNEL_PLAN_KEY = 'edgewise.kernel';

/** An int8 weight `[K, N]` per output column (`DynamicQuantizeMatMul`'s layout), zero point 0. */
export interface PlanMatrix {
  weight: string;
  scale: string;
  k: number;
  n: number;
}

export interface PlanLayer {
  /** RMSNorm gains before attention and before the MLP. */
  inNorm: string;
  postNorm: string;
  /** q, k and v side by side, in that order. */
  qkv: PlanMatrix;
  o: PlanMatrix;
  /** gate and up side by side, in that order. */
  gateUp: PlanMatrix;
  down: PlanMatrix;
}

export type PlanRope =
  | { interleaved: boolean; cos: string; sin: string; positions: number }
  | { interleaved: boolean; invFreq: number[] };

export interface KernelPlan {
  version: 1;
  hidden: number;
  intermediate: number;
  numHeads: number;
  kvHeads: number;
  headDim: number;
  eps: number;
  layers: PlanLayer[];
  finalNorm: string;
  /** The token lookup: int8 columns of the tied head (`[H, V]`, a scale per token) or float32 rows `[V, H]`. */
  embed: { columns: string; scale: string } | { rows: string };
  head: PlanMatrix;
  rope: PlanRope;
}

export function readPlan(json: string | undefined): KernelPlan | undefined {
  if (!json) return undefined;
  try {
    const p = JSON.parse(json) as KernelPlan;
    return p.version === 1 && Array.isArray(p.layers) ? p : undefined;
  } catch {
    return undefined;
  }
}
