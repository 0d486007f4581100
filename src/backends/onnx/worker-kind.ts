/** The ONNX kind inside the worker: decoders for generation, encoders for embeddings. */
import type { WorkerKind } from '../kind.js';
import { createOnnxBackend, liveGpuTensors, loseDeviceForTests } from './backend.js';
import { createOnnxEmbedder } from './embedder.js';

export const onnxWorkerKind: WorkerKind = {
  create(model, config, role) {
    if (!('url' in model)) throw new TypeError(`the onnx kind got a ${model.engine} model`);
    return role === 'embed' ? createOnnxEmbedder(model, config) : createOnnxBackend(model, config);
  },
  liveGpuTensors,
  loseDeviceForTests,
};
