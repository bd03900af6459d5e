// Writes the trained model as an ONNX graph with ops onnxruntime-web's wasm backend runs (opset 13):
//   ids[N,L] int32, weights[N,L,1] float, lang[N,1] float (Han share: 0 = en, 1 = zh)
//   → Gather(uint8 codes [B,C]) → Cast int32 → Add(column offset) → Gather(float codebook)   (dequantised table)
//   → Mul(weights) → ReduceSum(L) = pooled[N,C]   (C = 1 frustration, or 2 with the irony column)
//   → frustration column + b2 (+ g·Sigmoid(irony column + bi)) = logit[N,1]
//     (MLP head instead: C = embedding width, logit = Relu(pooled·w1 + b1)·w2 + b2)
//   → Platt per language: a = a_en + lang·(a_zh − a_en), b likewise; prob = Sigmoid(a·logit + b)
import onnxProto from 'onnx-proto';
import type { ExportTable } from './trainer.ts';

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

/** Platt parameters per language (`prob = σ(a·logit + b)`). */
export interface LangPlatt {
  en: { a: number; b: number };
  zh: { a: number; b: number };
}

/**
 * What the graph computes from a raw logit: a and b interpolated by the message's Han share (`lang` input, 0 = en,
 * 1 = zh), then σ(a·logit + b). The trainer's own forward pass, so parity checks compare like with like.
 *
 * @example
 * ```ts
 * plattProb({ en: { a: 1, b: 0.3 }, zh: { a: 1.2, b: 0.1 } }, 0.8, zhShare('怎么退货')); // ≈ 0.74
 * ```
 */
export function plattProb(p: LangPlatt, logit: number, zh: number): number {
  const a = p.en.a + zh * (p.zh.a - p.en.a), b = p.en.b + zh * (p.zh.b - p.en.b);
  return 1 / (1 + Math.exp(-(a * logit + b)));
}

/** `p` with `shift[lang]` added to each language's intercept (the support-chat shift of `npm run train`). */
export function shiftPlatt(p: LangPlatt, shift: Readonly<Record<'en' | 'zh', number>>): LangPlatt {
  return { en: { a: p.en.a, b: p.en.b + shift.en }, zh: { a: p.zh.a, b: p.zh.b + shift.zh } };
}

const i32 = (name: string, dims: number[], data: number[]) =>
  tensor(name, onnx.TensorProto.DataType.INT32, dims, new Uint8Array(Int32Array.from(data).buffer));

/** Serialises the model; `metadata` values must already be strings (JSON). */
export function buildOnnx(t: ExportTable, platt: LangPlatt, metadata: Record<string, string>): Uint8Array {
  if (t.levels <= 0) throw new Error('export needs a quantised table (levels > 0)');
  const T = onnx.TensorProto.DataType;
  const C = t.cols;
  const col = (c: number) => Array.from({ length: C }, (_, k) => (k === c ? 1 : 0));
  const init = [
    tensor('codes', T.UINT8, [t.buckets, C], new Uint8Array(t.codes.buffer, t.codes.byteOffset, t.codes.byteLength)),
    f32('codebook', [C * t.levels], t.codebook),
    i32('col_offset', [C], Array.from({ length: C }, (_, c) => c * t.levels)),
    i64('axis_len', [1], [1]),
    f32('b2', [1], [t.b2]),
    f32('a_en', [1], [platt.en.a]),
    f32('a_dzh', [1], [platt.zh.a - platt.en.a]),
    f32('b_en', [1], [platt.en.b]),
    f32('b_dzh', [1], [platt.zh.b - platt.en.b]),
  ];
  const nodes = [
    node('Gather', ['codes', 'ids'], ['code'], { axis: 0 }),
    node('Cast', ['code'], ['code_i'], { to: T.INT32 }),
    node('Add', ['code_i', 'col_offset'], ['cb_idx']),
    node('Gather', ['codebook', 'cb_idx'], ['gathered'], { axis: 0 }),
    node('Mul', ['gathered', 'weights'], ['weighted']),
    node('ReduceSum', ['weighted', 'axis_len'], ['pooled'], { keepdims: 0 }),
  ];
  if (t.mlp) {
    // MLP head: relu(pooled · w1 + b1) · w2 + b2.
    const H = t.mlp.hidden;
    init.push(f32('w1', [C, H], t.mlp.w1), f32('b1', [H], t.mlp.b1), f32('w2', [H, 1], t.mlp.w2));
    nodes.push(
      node('MatMul', ['pooled', 'w1'], ['h0']),
      node('Add', ['h0', 'b1'], ['h1']),
      node('Relu', ['h1'], ['h']),
      node('MatMul', ['h', 'w2'], ['zf']),
      node('Add', ['zf', 'b2'], ['logit']),
    );
  } else if (C === 2) {
    init.push(f32('pick_f', [C, 1], col(0)), f32('pick_i', [C, 1], col(1)), f32('bi', [1], [t.bi]), f32('g', [1], [t.g]));
    nodes.push(
      node('MatMul', ['pooled', 'pick_f'], ['zf']),
      node('MatMul', ['pooled', 'pick_i'], ['zi0']),
      node('Add', ['zi0', 'bi'], ['zi']),
      node('Sigmoid', ['zi'], ['irony']),
      node('Mul', ['irony', 'g'], ['gi']),
      node('Add', ['zf', 'gi'], ['zfg']),
      node('Add', ['zfg', 'b2'], ['logit']),
    );
  } else {
    init.push(f32('pick_f', [C, 1], col(0)));
    nodes.push(node('MatMul', ['pooled', 'pick_f'], ['zf']), node('Add', ['zf', 'b2'], ['logit']));
  }
  nodes.push(
    node('Mul', ['lang', 'a_dzh'], ['a_d']),
    node('Add', ['a_d', 'a_en'], ['a_lang']),
    node('Mul', ['lang', 'b_dzh'], ['b_d']),
    node('Add', ['b_d', 'b_en'], ['b_lang']),
    node('Mul', ['logit', 'a_lang'], ['logit_cal0']),
    node('Add', ['logit_cal0', 'b_lang'], ['logit_cal']),
    node('Sigmoid', ['logit_cal'], ['prob']),
  );
  const outputs = [valueInfo('prob', T.FLOAT, ['N', 1]), valueInfo('logit', T.FLOAT, ['N', 1])];
  if (C === 2 && !t.mlp) outputs.push(valueInfo('irony', T.FLOAT, ['N', 1]));
  const graph = onnx.GraphProto.create({
    name: 'temper_frustration',
    node: nodes,
    initializer: init,
    input: [valueInfo('ids', T.INT32, ['N', 'L']), valueInfo('weights', T.FLOAT, ['N', 'L', 1]), valueInfo('lang', T.FLOAT, ['N', 1])],
    output: outputs,
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'temper scripts/train-model.ts',
    producerVersion: '2',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
