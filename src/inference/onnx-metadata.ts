import protobuf from "protobufjs/minimal.js";

/**
 * onnxruntime-node exposes input and output metadata but not the model's `metadata_props`
 * (where exporters put class labels), so read them from the ModelProto bytes ourselves.
 * Only top-level field 14 is decoded; the graph (field 7) is skipped without parsing.
 */
const METADATA_PROPS_FIELD = 14;
const WIRE_LENGTH_DELIMITED = 2;

export function readMetadataProps(bytes: Uint8Array): Record<string, string> {
  const reader = protobuf.Reader.create(bytes);
  const props: Record<string, string> = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field !== METADATA_PROPS_FIELD || wireType !== WIRE_LENGTH_DELIMITED) {
      reader.skipType(wireType);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    let key = "";
    let value = "";
    while (reader.pos < end) {
      const entryTag = reader.uint32();
      if (entryTag >>> 3 === 1) key = reader.string();
      else if (entryTag >>> 3 === 2) value = reader.string();
      else reader.skipType(entryTag & 7);
    }
    props[key] = value;
  }
  return props;
}

/** Class labels from metadata: a JSON array (`["a","b"]`) or a comma-separated list, under `labels` or `classes`. */
export function labelsFrom(props: Record<string, string>): string[] | undefined {
  const raw = props.labels ?? props.classes ?? props.class_labels;
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string")) return parsed;
  } catch {
    // not JSON: fall through to the comma-separated form
  }
  return raw
    .split(",")
    .map((label) => label.trim())
    .filter(Boolean);
}
