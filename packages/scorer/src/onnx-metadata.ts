/**
 * onnxruntime-web exposes input/output metadata but not a model's `metadata_props`
 * (https://github.com/microsoft/onnxruntime/issues/16547), and protobufjs is too heavy for the worker, so this
 * reads just that field from the ModelProto bytes: top-level field 14, repeated `{1: key, 2: value}`.
 */

const METADATA_PROPS_FIELD = 14;

/**
 * Returns the `metadata_props` of an ONNX model as a plain object (last value wins on duplicate keys).
 * Throws on truncated or malformed protobuf.
 *
 * @example
 * ```ts
 * const meta = readOnnxMetadata(bytes);
 * const featurizer = JSON.parse(meta['temper.featurizer'] ?? '{}');
 * ```
 */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const decoder = new TextDecoder('utf-8', { fatal: true });
  forEachField(bytes, 0, bytes.length, (field, start, end) => {
    if (field !== METADATA_PROPS_FIELD || start < 0) return;
    let key = '';
    let value = '';
    forEachField(bytes, start, end, (f, s, e) => {
      if (s < 0) return;
      if (f === 1) key = decoder.decode(bytes.subarray(s, e));
      else if (f === 2) value = decoder.decode(bytes.subarray(s, e));
    });
    out[key] = value;
  });
  return out;
}

/** Walks the fields of one message; length-delimited fields get their byte range, others start = -1. */
function forEachField(buf: Uint8Array, from: number, to: number, visit: (field: number, start: number, end: number) => void): void {
  let pos = from;
  const varint = (): number => {
    // Lengths and tags here stay far below 2^53, so plain arithmetic (not bit ops, which stop at 2^31) is exact.
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= to) throw new Error('onnx metadata: truncated varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new Error('onnx metadata: varint too long');
  };
  while (pos < to) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      varint();
      visit(field, -1, -1);
    } else if (wire === 1) {
      pos += 8;
      visit(field, -1, -1);
    } else if (wire === 5) {
      pos += 4;
      visit(field, -1, -1);
    } else if (wire === 2) {
      const len = varint();
      const start = pos;
      pos += len;
      if (pos > to) throw new Error('onnx metadata: truncated field');
      visit(field, start, pos);
    } else {
      throw new Error(`onnx metadata: unsupported wire type ${wire}`);
    }
  }
  if (pos !== to) throw new Error('onnx metadata: truncated message');
}
