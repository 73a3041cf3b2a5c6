// Reading an OpenAPI 3.0 document: its local $refs, and its schemas as ajv validators. `$ref`s
// into `components/schemas` resolve through one shared ajv schema, `nullable: true` becomes
// "or null", and OpenAPI's annotation-only keywords are dropped so that ajv's strict mode can
// reject real typos.
import Ajv from "ajv";
import addFormats from "ajv-formats";

/** The node that local `ref` (e.g. "#/components/responses/NotFound") names; throws if none. */
export function pointer(spec, ref) {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref} (only local ones)`);
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, key) => {
      if (node?.[key] === undefined) throw new Error(`$ref ${ref} points nowhere`);
      return node[key];
    }, spec);
}

/** `node`, or what its `$ref` chain leads to. */
export function resolve(spec, node) {
  while (node && typeof node.$ref === "string") node = pointer(spec, node.$ref);
  return node;
}

/** Every `$ref` in `node` and below. */
export function* refsIn(node) {
  if (node === null || typeof node !== "object") return;
  if (typeof node.$ref === "string") yield node.$ref;
  for (const value of Object.values(node)) yield* refsIn(value);
}

const componentsId = "openapi-components.json";
const schemaRefPrefix = "#/components/schemas/";

// Keywords OpenAPI 3.0 adds to JSON Schema that constrain nothing.
const annotations = new Set(["example", "xml", "externalDocs", "discriminator", "deprecated"]);
// Keywords whose value is a map of names to schemas.
const schemaMaps = new Set(["properties", "patternProperties"]);
// Keywords whose value is one schema.
const singleSchemas = new Set(["items", "not", "additionalProperties"]);
// Keywords whose value is a list of schemas.
const schemaLists = new Set(["allOf", "anyOf", "oneOf"]);

function mapValues(object, convert) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, convert(value)]));
}

/** Converts one OpenAPI 3.0 schema object into a JSON Schema (draft-07) that ajv accepts. */
export function toJsonSchema(schema) {
  if (schema === null || typeof schema !== "object") {
    return schema; // `additionalProperties: true` and the like
  }
  if (typeof schema.$ref === "string") {
    // OpenAPI 3.0 ignores everything beside a $ref.
    if (!schema.$ref.startsWith(schemaRefPrefix)) {
      throw new Error(`unsupported schema $ref ${schema.$ref} (only ${schemaRefPrefix}*)`);
    }
    return { $ref: `${componentsId}#/definitions/${schema.$ref.slice(schemaRefPrefix.length)}` };
  }
  const out = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (annotations.has(keyword) || keyword === "nullable") continue;
    if (schemaMaps.has(keyword)) out[keyword] = mapValues(value, toJsonSchema);
    else if (singleSchemas.has(keyword)) out[keyword] = toJsonSchema(value);
    else if (schemaLists.has(keyword)) out[keyword] = value.map(toJsonSchema);
    else out[keyword] = value;
  }
  return schema.nullable === true ? withNull(out) : out;
}

// OpenAPI 3.0's nullable widens whatever else the schema says by null: a plain typed schema
// gets "null" as a second type (and in its enum), so messages stay short; anything else (no
// type, or a composition) becomes "null or the schema".
function withNull(schema) {
  const composed = ["allOf", "anyOf", "oneOf", "not"].some((k) => k in schema);
  if (typeof schema.type !== "string" || composed) return { anyOf: [{ type: "null" }, schema] };
  const out = { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}

/** Compiles (and caches) validators for the schemas of one OpenAPI document. */
export class SchemaValidators {
  constructor(spec) {
    this.ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(this.ajv);
    const components = spec.components?.schemas ?? {};
    this.ajv.addSchema({ $id: componentsId, definitions: mapValues(components, toJsonSchema) });
    this.cache = new Map();
  }

  /** The validator of `schema` (an object of the document), compiled once. */
  validator(schema) {
    let validate = this.cache.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.cache.set(schema, validate);
    }
    return validate;
  }

  /** The problems of `value` against `schema`, as short lines (empty when it validates). */
  problems(schema, value) {
    const validate = this.validator(schema);
    if (validate(value)) return [];
    return validate.errors.map((e) => `${e.instancePath || "(body)"} ${e.message}`);
  }
}
