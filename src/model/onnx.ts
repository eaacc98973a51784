// The network as an ONNX model, so that ONNX Runtime, PyTorch or any ONNX tool can
// run it: standard operators only (opset 13). Input X is (m, n0), one example per
// row as ONNX tools expect; with input features (x1², sin x1, …: src/data/features.ts) X is
// the raw (m, 2) and Split, Mul, Sin and Concat compute them first; with a standardization,
// Sub and Div next; then per layer
// Gemm(A, W, b) with transB = 1 (W stays (n_l, n_{l-1}) as the trainer keeps it) and
// the layer's activation: Tanh, Relu, LeakyRelu (alpha 0.01), Sigmoid; the head is
// Sigmoid, Softmax (axis 1) or Identity (linear). Output Y is (m, nL). The bytes are
// protobuf: protobufjs's minimal runtime writes and reads the wire format (varints,
// lengths, packed floats); the messages below name onnx.proto's field numbers.
// The data's names (classes, feature columns, target) go into the model's
// metadata_props as JSON strings, where ONNX Runtime's session.handler.metadata and
// Netron show them. fromOnnx reads back a model of exactly this shape (e.g. one the
// CLI wrote).
import protobuf from 'protobufjs/minimal.js';
import type { Standardization } from '../data/standardize.ts';
import { FEATURES, RAW_INPUTS, type Feature } from '../data/features.ts';
import { checkNames, type DataNames } from './model-json.ts';
import { FileFormatError } from '../errors.ts';
import { ACTIVATIONS, LEAKY_RELU_SLOPE, type Activation, type Head, type Parameters } from '../types.ts';

/** IR version 7 and opset 13: read by every ONNX Runtime since 1.7 and by PyTorch's onnx. */
export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
const FLOAT = 1;
const ATTRIBUTE = { FLOAT: 1, INT: 2 } as const;

/** A message: its fields in order, as [field number, wire kind, value]; a repeated field repeats its number. */
type Field = [id: number, kind: 'string' | 'varint' | 'float' | 'floats' | 'message', value: string | number | number[] | Field[]];

function writeMessage(w: protobuf.Writer, fields: Field[]): protobuf.Writer {
  for (const [id, kind, value] of fields) {
    if (kind === 'string') w.uint32((id << 3) | 2).string(value as string);
    else if (kind === 'varint') w.uint32(id << 3).int64(value as number);
    else if (kind === 'float') w.uint32((id << 3) | 5).float(value as number);
    else {
      w.uint32((id << 3) | 2).fork();
      if (kind === 'floats') for (const v of value as number[]) w.float(v);
      else writeMessage(w, value as Field[]);
      w.ldelim();
    }
  }
  return w;
}

type Fields = Map<number, (number | Uint8Array)[]>;

/** One message's fields by number: varints as numbers, 32-bit fields as floats, length-delimited ones as bytes. */
function readMessage(bytes: Uint8Array): Fields {
  const r = protobuf.Reader.create(bytes);
  const fields: Fields = new Map();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const [id, wire] = [tag >>> 3, tag & 7];
    let value: number | Uint8Array;
    if (wire === 0) {
      const v = r.int64() as unknown as number | { toNumber(): number };
      value = typeof v === 'number' ? v : v.toNumber();
    } else if (wire === 5) value = r.float();
    else if (wire === 2) value = r.bytes();
    else {
      r.skipType(wire);
      continue;
    }
    if (!fields.has(id)) fields.set(id, []);
    fields.get(id)!.push(value);
  }
  return fields;
}

// onnx.proto's field numbers, by message.
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 };
const ENTRY = { key: 1, value: 2 };
const OPSET = { domain: 1, version: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTR = { name: 1, f: 2, i: 3, type: 20 };
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1, shape: 2 };
const SHAPE = { dim: 1 };
const DIM = { dimValue: 1, dimParam: 2 };

const ACTIVATION_OPS: Record<Activation, string> = { tanh: 'Tanh', relu: 'Relu', 'leaky-relu': 'LeakyRelu', sigmoid: 'Sigmoid', linear: 'Identity' };
const HEAD_OPS: Record<Head, string> = { sigmoid: 'Sigmoid', softmax: 'Softmax', linear: 'Identity' };

export interface OnnxOptions {
  head?: Head;
  /** Input features computed from the raw (x1, x2) in the graph itself (src/data/features.ts). */
  inputs?: Feature[] | null;
  standardization?: Standardization | null;
  /** Written into the model's doc string. */
  description?: string;
  /** The data's names, written as metadata_props (classes, features, target: JSON). */
  names?: DataNames;
}

interface Node {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute?: { name: string; f?: number; i?: number }[];
}

const tensor = (name: string, dims: number[], values: ArrayLike<number>): Field[] => [
  ...dims.map((d): Field => [TENSOR.dims, 'varint', d]),
  [TENSOR.dataType, 'varint', FLOAT],
  [TENSOR.floatData, 'floats', Array.from(values)],
  [TENSOR.name, 'string', name],
];

const valueInfo = (name: string, width: number): Field[] => [
  [VALUE_INFO.name, 'string', name],
  [VALUE_INFO.type, 'message', [[TYPE.tensorType, 'message', [
    [TENSOR_TYPE.elemType, 'varint', FLOAT],
    [TENSOR_TYPE.shape, 'message', [[SHAPE.dim, 'message', [[DIM.dimParam, 'string', 'm']]], [SHAPE.dim, 'message', [[DIM.dimValue, 'varint', width]]]]],
  ]]]],
];

const node = (n: Node): Field[] => [
  ...n.input.map((x): Field => [NODE.input, 'string', x]),
  ...n.output.map((x): Field => [NODE.output, 'string', x]),
  [NODE.name, 'string', n.name],
  [NODE.opType, 'string', n.opType],
  ...(n.attribute ?? []).map((a): Field => [NODE.attribute, 'message', [
    [ATTR.name, 'string', a.name],
    a.f !== undefined ? [ATTR.f, 'float', a.f] : [ATTR.i, 'varint', a.i!],
    [ATTR.type, 'varint', a.f !== undefined ? ATTRIBUTE.FLOAT : ATTRIBUTE.INT],
  ]]),
];

/** The network as ONNX model bytes (a .onnx file). */
export function toOnnx(params: Parameters, activation: Activation | Activation[], options: OnnxOptions = {}): Uint8Array {
  const { sizes } = params;
  const L = sizes.length - 1;
  const head = options.head ?? 'sigmoid';
  const hidden = typeof activation === 'string' ? Array<Activation>(L - 1).fill(activation) : activation;
  const nodes: Node[] = [];
  const initializer: Field[][] = [];
  let a = 'X';
  if (options.inputs) {
    nodes.push(...featureNodes(options.inputs));
    a = 'F';
  }
  if (options.standardization) {
    const { mean, std } = options.standardization;
    initializer.push(tensor('mean', [sizes[0]], mean), tensor('std', [sizes[0]], std));
    nodes.push({ input: [a, 'mean'], output: ['X_centred'], name: 'standardize_sub', opType: 'Sub' });
    nodes.push({ input: ['X_centred', 'std'], output: ['A0'], name: 'standardize_div', opType: 'Div' });
    a = 'A0';
  }
  for (let l = 1; l <= L; l++) {
    initializer.push(tensor(`W${l}`, [sizes[l], sizes[l - 1]], params.W[l]), tensor(`b${l}`, [sizes[l]], params.b[l]));
    nodes.push({ input: [a, `W${l}`, `b${l}`], output: [`Z${l}`], name: `layer${l}_gemm`, opType: 'Gemm', attribute: [{ name: 'transB', i: 1 }] });
    const out = l === L ? 'Y' : `A${l}`;
    const op = l === L ? HEAD_OPS[head] : ACTIVATION_OPS[hidden[l - 1]];
    const attribute = op === 'LeakyRelu'
      ? [{ name: 'alpha', f: LEAKY_RELU_SLOPE }]
      : op === 'Softmax' ? [{ name: 'axis', i: 1 }] : undefined;
    nodes.push({ input: [`Z${l}`], output: [out], name: `layer${l}_${op.toLowerCase()}`, opType: op, ...(attribute ? { attribute } : {}) });
    a = out;
  }
  const doc = options.description ?? `[${sizes.join(', ')}] ${hidden.join(',')} ${head}: Y = ${head}(W${L}·…·g(W1·x + b1)…), one example per row`;
  const graph: Field[] = [
    ...nodes.map((n): Field => [GRAPH.node, 'message', node(n)]),
    [GRAPH.name, 'string', 'network'],
    ...initializer.map((t): Field => [GRAPH.initializer, 'message', t]),
    [GRAPH.input, 'message', valueInfo('X', options.inputs ? RAW_INPUTS : sizes[0])],
    [GRAPH.output, 'message', valueInfo('Y', sizes[L])],
  ];
  return writeMessage(protobuf.Writer.create(), [
    [MODEL.irVersion, 'varint', ONNX_IR_VERSION],
    [MODEL.producerName, 'string', 'webgpu-shallow-trainer'],
    [MODEL.producerVersion, 'string', '0.1.0'],
    [MODEL.docString, 'string', doc],
    [MODEL.graph, 'message', graph],
    [MODEL.opsetImport, 'message', [[OPSET.domain, 'string', ''], [OPSET.version, 'varint', ONNX_OPSET]]],
    ...Object.entries(options.names ?? {}).filter(([, v]) => v !== undefined).map(([key, v]): Field =>
      [MODEL.metadataProps, 'message', [[ENTRY.key, 'string', key], [ENTRY.value, 'string', JSON.stringify(v)]]]),
  ]).finish();
}

/** Split X (m, 2) into its columns x1, x2 (m, 1), each feature from them, and Concat (axis 1) into F (m, F). */
function featureNodes(inputs: readonly Feature[]): Node[] {
  const column = { x1: 'x1', x2: 'x2' } as const;
  const nodes: Node[] = [{ input: ['X'], output: [column.x1, column.x2], name: 'features_split', opType: 'Split', attribute: [{ name: 'axis', i: 1 }] }];
  const made = inputs.map((f): string => {
    if (f === 'x1' || f === 'x2') return column[f];
    const ops: Record<Exclude<Feature, 'x1' | 'x2'>, [string, string[]]> = {
      x1sq: ['Mul', ['x1', 'x1']], x2sq: ['Mul', ['x2', 'x2']], x1x2: ['Mul', ['x1', 'x2']], sinx1: ['Sin', ['x1']], sinx2: ['Sin', ['x2']],
    };
    const [opType, input] = ops[f];
    nodes.push({ input, output: [f], name: `feature_${f}`, opType });
    return f;
  });
  nodes.push({ input: made, output: ['F'], name: 'features_concat', opType: 'Concat', attribute: [{ name: 'axis', i: 1 }] });
  return nodes;
}

/** The features toOnnx's first nodes compute (Split, Mul/Sin, Concat), removed from `nodes`; another shape fails. */
function readFeatureNodes(nodes: Node[], fail: (why: string) => never): Feature[] {
  const split = nodes.shift()!;
  if (split.input[0] !== 'X' || split.output.length !== RAW_INPUTS) fail(`Split of ${split.input[0]} into ${split.output.length} columns, expected X into x1 and x2`);
  const known = new Map<string, Feature>([[split.output[0], 'x1'], [split.output[1], 'x2']]);
  for (let node = nodes.shift(); node; node = nodes.shift()) {
    if (node.opType === 'Concat') {
      return node.input.map((name) => known.get(name) ?? fail(`Concat reads ${name}, which is no input feature`));
    }
    const [p, q] = node.input.map((name) => known.get(name) ?? fail(`${node!.opType} reads ${name}, which is not x1 or x2`));
    const feature = (node.opType === 'Sin' ? `sin${p}` : node.opType === 'Mul' ? (p === q ? `${p}sq` : `${p}${q}`) : '') as Feature;
    if (!FEATURES.includes(feature)) fail(`an input node ${node.opType}(${node.input.join(', ')}) computes no known feature`);
    known.set(node.output[0], feature);
  }
  return fail('the input features end without a Concat');
}

/** What fromOnnx reads back: the parameters, activations, head and standardization. */
export interface OnnxNetwork {
  params: Parameters;
  hidden: Activation[];
  head: Head;
  /** Input features computed from raw (x1, x2) by the graph's first nodes; null when X is the input. */
  inputs: Feature[] | null;
  standardization: Standardization | null;
  /** From metadata_props, where toOnnx wrote them. */
  names: DataNames;
}

/**
 * Reads an ONNX model of the shape toOnnx writes (Gemm with transB = 1, one
 * activation per layer, optional Sub/Div standardization first). Anything else is
 * refused with a FileFormatError naming what was found.
 */
export function fromOnnx(bytes: Uint8Array, file = 'model.onnx'): OnnxNetwork {
  const fail = (why: string): never => {
    throw new FileFormatError(file, null, why);
  };
  const text = (b: number | Uint8Array | undefined) => (b instanceof Uint8Array ? new TextDecoder().decode(b) : '');
  const messages = (fields: Fields, id: number) =>
    (fields.get(id) ?? []).filter((v): v is Uint8Array => v instanceof Uint8Array).map(readMessage);
  let graph: Fields;
  let model: Fields;
  try {
    model = readMessage(bytes);
    graph = messages(model, MODEL.graph)[0];
  } catch (e) {
    return fail(`not an ONNX model (${(e as Error).message})`);
  }
  if (!graph) fail('not an ONNX model (no graph)');
  const weights = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of messages(graph, GRAPH.initializer)) {
    const name = text(t.get(TENSOR.name)?.[0]);
    const type = t.get(TENSOR.dataType)?.[0];
    if (type !== FLOAT) fail(`initializer ${name}: data type ${type}, expected 1 (float)`);
    const dims = (t.get(TENSOR.dims) ?? []) as number[];
    // Packed floats (length-delimited), unpacked ones (one float each), or raw little-endian bytes
    // (copied first: a Node Buffer may be a view into a larger pool).
    const floats = t.get(TENSOR.floatData) ?? [];
    const raw = [...floats, ...(t.get(TENSOR.rawData) ?? [])].filter((v): v is Uint8Array => v instanceof Uint8Array);
    const data = raw.length > 0 ? Float32Array.from(raw.flatMap((b) => [...new Float32Array(new Uint8Array(b).buffer)])) : Float32Array.from(floats as number[]);
    weights.set(name, { dims, data });
  }
  const nodes: Node[] = messages(graph, GRAPH.node).map((n) => ({
    input: (n.get(NODE.input) ?? []).map(text),
    output: (n.get(NODE.output) ?? []).map(text),
    name: text(n.get(NODE.name)?.[0]),
    opType: text(n.get(NODE.opType)?.[0]),
    attribute: messages(n, NODE.attribute).map((a) => ({ name: text(a.get(ATTR.name)?.[0]), i: a.get(ATTR.i)?.[0] as number | undefined, f: a.get(ATTR.f)?.[0] as number | undefined })),
  }));
  const get = (name: string) => weights.get(name) ?? fail(`no initializer named ${name}`);
  const inputs = nodes[0]?.opType === 'Split' ? readFeatureNodes(nodes, fail) : null;
  let standardization: Standardization | null = null;
  if (nodes[0]?.opType === 'Sub') {
    const [sub, div] = nodes.splice(0, 2);
    if (div?.opType !== 'Div') fail(`Sub is not followed by Div (found ${div?.opType ?? 'nothing'})`);
    standardization = { mean: [...get(sub.input[1]).data], std: [...get(div.input[1]).data] };
  }
  const W: Float64Array[] = [new Float64Array(0)];
  const b: Float64Array[] = [new Float64Array(0)];
  const sizes: number[] = [];
  const hidden: Activation[] = [];
  let head: Head = 'sigmoid';
  for (let k = 0; k < nodes.length; k += 2) {
    const [gemm, act] = [nodes[k], nodes[k + 1]];
    const l = k / 2 + 1;
    if (gemm.opType !== 'Gemm') fail(`node ${k}: ${gemm.opType}, expected Gemm (layer ${l})`);
    if (!gemm.attribute?.some((a) => a.name === 'transB' && Number(a.i) === 1)) fail(`layer ${l}: Gemm without transB = 1`);
    const w = get(gemm.input[1]);
    const bias = get(gemm.input[2]);
    if (w.dims.length !== 2 || bias.dims.length !== 1 || bias.dims[0] !== w.dims[0]) fail(`layer ${l}: W dims [${w.dims}] and b dims [${bias.dims}] do not fit`);
    if (sizes.length === 0) sizes.push(Number(w.dims[1]));
    else if (Number(w.dims[1]) !== sizes[sizes.length - 1]) fail(`layer ${l}: W has ${w.dims[1]} columns, the layer below has ${sizes[sizes.length - 1]} units`);
    sizes.push(Number(w.dims[0]));
    W.push(Float64Array.from(w.data));
    b.push(Float64Array.from(bias.data));
    const last = k + 2 >= nodes.length;
    const op = act?.opType ?? fail(`layer ${l}: no activation after Gemm`);
    if (last) {
      const found = (Object.keys(HEAD_OPS) as Head[]).find((h) => HEAD_OPS[h] === op);
      head = found ?? fail(`output layer: ${op}, expected Sigmoid, Softmax or Identity`);
    } else {
      const found = ACTIVATIONS.find((a) => ACTIVATION_OPS[a] === op);
      hidden.push(found ?? fail(`layer ${l}: ${op}, expected one of ${Object.values(ACTIVATION_OPS).join(', ')}`));
    }
  }
  if (sizes.length < 2) fail('no Gemm layer');
  const names: Record<string, unknown> = {};
  for (const entry of messages(model!, MODEL.metadataProps)) {
    const key = text(entry.get(ENTRY.key)?.[0]);
    if (key !== 'classes' && key !== 'features' && key !== 'target') continue; // another tool's metadata
    const value = text(entry.get(ENTRY.value)?.[0]);
    try {
      names[key] = JSON.parse(value);
    } catch {
      fail(`metadata ${key} is ${JSON.stringify(value)}, expected JSON`);
    }
  }
  if (inputs && inputs.length !== sizes[0]) fail(`the input features are ${inputs.length}, the first layer takes ${sizes[0]}`);
  return { params: { sizes, W, b }, hidden, head, inputs, standardization, names: checkNames(names, sizes, head, fail, inputs) };
}
