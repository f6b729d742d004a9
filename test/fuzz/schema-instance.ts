/** A minimal JSON-Schema instance generator for the OpenAPI document's request bodies (valid-looking seeds). */

type Schema = Record<string, any>;

/** Builds one instance of `schema`, preferring its examples; `$ref`s resolve against `components`. */
export function instanceOf(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  depth = 0,
): unknown {
  if (schema === undefined || depth > 8) return null;
  if (typeof schema.$ref === "string") {
    return instanceOf(components[schema.$ref.split("/").pop() as string], components, depth + 1);
  }
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return structuredClone(schema.examples[0]);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return instanceOf(alternatives[0], components, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? Object.keys(schema.properties ?? {})) {
        out[name] = instanceOf(schema.properties?.[name], components, depth + 1);
      }
      return out;
    }
    case "array":
      return [instanceOf(schema.items, components, depth + 1)];
    case "string":
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}

/** Every (container, key) pair inside a JSON value, for picking a place to mutate. */
export function slotsOf(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([value, i]);
      slotsOf(item, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      out.push([value as Record<string, unknown>, key]);
      slotsOf((value as Record<string, unknown>)[key], out);
    }
  }
  return out;
}

/** Objects inside a JSON value (including itself), for adding keys. */
export function objectsOf(value: unknown, out: Record<string, unknown>[] = []) {
  if (Array.isArray(value)) for (const item of value) objectsOf(item, out);
  else if (value !== null && typeof value === "object") {
    out.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) objectsOf(item, out);
  }
  return out;
}
