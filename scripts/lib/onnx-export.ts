// Writes the trained model as an ONNX graph with ops onnxruntime-web's wasm backend runs (opset 13):
//   ids[N,L] int32, weights[N,L,1] float
//   → Gather(int8 emb) → Cast → Mul(weights) → ReduceSum(L) → Mul(per-dim scale)      (mean-pooled bag)
//   → MatMul → Add → Relu → MatMul → Add = logit[N,1] → Mul(a) → Add(b) → Sigmoid = prob[N,1]  (Platt inside)
import onnxProto from 'onnx-proto';
import type { FloatModel, QuantizedEmbedding } from './trainer.ts';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };

export const OPSET = 13;

function tensor(name: string, dataType: number, dims: number[], bytes: Uint8Array) {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
}
const f32 = (name: string, dims: number[], data: ArrayLike<number>) =>
  tensor(name, onnx.TensorProto.DataType.FLOAT, dims, new Uint8Array(Float32Array.from(data).buffer));
const i64 = (name: string, dims: number[], data: number[]) =>
  tensor(name, onnx.TensorProto.DataType.INT64, dims, new Uint8Array(BigInt64Array.from(data.map(BigInt)).buffer));

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, number> = {}) {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: Object.entries(attrs).map(([name, i]) => ({ name, i, type: onnx.AttributeProto.AttributeType.INT })),
  });
}

/** Serialises the model; `metadata` values must already be strings (JSON). */
export function buildOnnx(m: FloatModel, qe: QuantizedEmbedding, platt: { a: number; b: number }, metadata: Record<string, string>): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const init = [
    tensor('emb_q', T.INT8, [m.buckets, m.dim], new Uint8Array(qe.q.buffer, qe.q.byteOffset, qe.q.byteLength)),
    f32('emb_scale', [m.dim], qe.scale),
    i64('axis_len', [1], [1]),
    f32('b2', [1], [m.b2]),
    f32('platt_a', [1], [platt.a]),
    f32('platt_b', [1], [platt.b]),
  ];
  const nodes = [
    node('Gather', ['emb_q', 'ids'], ['gathered'], { axis: 0 }),
    node('Cast', ['gathered'], ['gathered_f'], { to: T.FLOAT }),
    node('Mul', ['gathered_f', 'weights'], ['weighted']),
    node('ReduceSum', ['weighted', 'axis_len'], ['pooled_q'], { keepdims: 0 }),
    node('Mul', ['pooled_q', 'emb_scale'], ['pooled']),
  ];
  if (m.hidden > 0) {
    init.push(f32('w1', [m.dim, m.hidden], m.w1), f32('b1', [m.hidden], m.b1), f32('w2', [m.hidden, 1], m.w2));
    nodes.push(
      node('MatMul', ['pooled', 'w1'], ['h_lin']),
      node('Add', ['h_lin', 'b1'], ['h_pre']),
      node('Relu', ['h_pre'], ['h']),
      node('MatMul', ['h', 'w2'], ['z0']),
    );
  } else {
    init.push(f32('w2', [m.dim, 1], m.w2));
    nodes.push(node('MatMul', ['pooled', 'w2'], ['z0']));
  }
  nodes.push(
    node('Add', ['z0', 'b2'], ['logit']),
    node('Mul', ['logit', 'platt_a'], ['logit_cal0']),
    node('Add', ['logit_cal0', 'platt_b'], ['logit_cal']),
    node('Sigmoid', ['logit_cal'], ['prob']),
  );
  const graph = onnx.GraphProto.create({
    name: 'temper_frustration',
    node: nodes,
    initializer: init,
    input: [valueInfo('ids', T.INT32, ['N', 'L']), valueInfo('weights', T.FLOAT, ['N', 'L', 1])],
    output: [valueInfo('prob', T.FLOAT, ['N', 1]), valueInfo('logit', T.FLOAT, ['N', 1])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'temper scripts/train-model.ts',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
