/**
 * A small builder for ONNX graphs (nodes, float32/int64 initializers, typed inputs and outputs)
 * serialised to ModelProto bytes with the `onnx-proto` protobuf definitions.
 *
 * @module
 */

import onnxProto from "onnx-proto";
import type { onnx } from "onnx-proto";

const proto = onnxProto.onnx;

/** Element types used by the suite's graphs (ONNX `TensorProto.DataType` codes). */
export type OnnxElementType = "float32" | "int64" | "int32";

const ELEMENT_CODE: Readonly<Record<OnnxElementType, number>> = {
  float32: proto.TensorProto.DataType.FLOAT,
  int64: proto.TensorProto.DataType.INT64,
  int32: proto.TensorProto.DataType.INT32,
};

/** A node attribute value (ONNX `AttributeProto`), tagged by its kind. */
export type OnnxAttribute =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "ints"; readonly value: readonly number[] };

/** An INT attribute. */
export const intAttr = (value: number): OnnxAttribute => ({ kind: "int", value });
/** A FLOAT attribute. */
export const floatAttr = (value: number): OnnxAttribute => ({ kind: "float", value });
/** An INTS attribute. */
export const intsAttr = (value: readonly number[]): OnnxAttribute => ({ kind: "ints", value });

/** A dimension: a fixed size, or a symbolic name for a dynamic one (e.g. `"batch"`). */
export type OnnxDim = number | string;

/** Options of the serialised model. */
export interface OnnxModelOptions {
  /** Default-domain opset version; 17 is the first with `LayerNormalization`. */
  readonly opset: number;
  readonly producerName?: string;
  readonly docString?: string;
  /** Free-form metadata (`metadata_props`), e.g. the pooling used. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** ONNX IR version 8 (onnx 1.10+), which opsets up to 17 and ONNX Runtime accept. */
const IR_VERSION = 8;

function attributeProto(name: string, attr: OnnxAttribute): onnx.IAttributeProto {
  const T = proto.AttributeProto.AttributeType;
  switch (attr.kind) {
    case "int":
      return { name, type: T.INT, i: attr.value };
    case "float":
      return { name, type: T.FLOAT, f: attr.value };
    case "ints":
      return { name, type: T.INTS, ints: [...attr.value] };
    default: {
      const never: never = attr;
      throw new TypeError(`Cannot encode attribute "${name}": unknown kind ${String(never)}`);
    }
  }
}

function valueInfo(name: string, type: OnnxElementType, dims: readonly OnnxDim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_CODE[type],
        shape: {
          dim: dims.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }),
        },
      },
    },
  };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // ONNX raw_data is little-endian, as are all hosts ONNX Runtime supports.
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Accumulates a graph; `node` returns generated output names so graphs read as expressions. */
export class OnnxGraphBuilder {
  readonly #nodes: onnx.INodeProto[] = [];
  readonly #initializers: onnx.ITensorProto[] = [];
  readonly #inputs: onnx.IValueInfoProto[] = [];
  readonly #outputs: onnx.IValueInfoProto[] = [];
  readonly #names = new Set<string>();
  #counter = 0;

  /** A builder for a graph called `name`. */
  constructor(readonly name: string) {}

  #claim(name: string): string {
    if (this.#names.has(name)) {
      throw new TypeError(`Cannot add "${name}" to graph "${this.name}": the name is taken`);
    }
    this.#names.add(name);
    return name;
  }

  /** A fresh value name starting with `hint`. */
  fresh(hint: string): string {
    return this.#claim(this.#unused(hint));
  }

  #unused(hint: string): string {
    let name = `${hint}_${this.#counter++}`;
    while (this.#names.has(name)) name = `${hint}_${this.#counter++}`;
    return name;
  }

  /** Declare a graph input. */
  input(name: string, type: OnnxElementType, dims: readonly OnnxDim[]): string {
    this.#inputs.push(valueInfo(this.#claim(name), type, dims));
    return name;
  }

  /** Declare a graph output produced by a node output named `name`. */
  output(name: string, type: OnnxElementType, dims: readonly OnnxDim[]): void {
    this.#outputs.push(valueInfo(name, type, dims));
  }

  /** A float32 constant tensor (row-major `data` of shape `dims`). */
  float32(name: string, data: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new TypeError(
        `Cannot add initializer "${name}": shape [${dims}] needs ${size} values, found ${data.length}`,
      );
    }
    this.#initializers.push({
      name: this.#claim(name),
      dataType: ELEMENT_CODE.float32,
      dims: [...dims],
      rawData: bytesOf(data),
    });
    return name;
  }

  /** An int64 constant tensor; `dims` defaults to a vector of the values' length. */
  int64(
    name: string,
    values: readonly number[],
    dims: readonly number[] = [values.length],
  ): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.#initializers.push({
      name: this.#claim(name),
      dataType: ELEMENT_CODE.int64,
      dims: [...dims],
      rawData: bytesOf(data),
    });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(hint: string, value: number): string {
    return this.float32(this.#unused(hint), new Float32Array([value]), []);
  }

  /**
   * Add a node of operator `op`; returns the names of its `outputCount` outputs (generated from
   * `op` unless `outputs` names them).
   */
  node(
    op: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    outputs: number | readonly string[] = 1,
  ): string[] {
    const names = typeof outputs === "number"
      ? Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()))
      : outputs.map((n) => this.#claim(n));
    this.#nodes.push({
      opType: op,
      name: `${op}_${this.#nodes.length}`,
      input: [...inputs],
      output: names,
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return names;
  }

  /** Add a single-output node and return its output name. */
  op(
    op: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, OnnxAttribute>>,
  ): string {
    return this.node(op, inputs, attributes)[0]!;
  }

  /** Serialise the graph as an ONNX ModelProto. */
  toBytes(options: OnnxModelOptions): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: options.opset }],
      producerName: options.producerName ?? "embeddistill",
      docString: options.docString ?? "",
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.#nodes,
        initializer: this.#initializers,
        input: this.#inputs,
        output: this.#outputs,
      },
    };
    // protobufjs may return a Node Buffer; hand out a plain Uint8Array.
    return new Uint8Array(proto.ModelProto.encode(model).finish());
  }
}
