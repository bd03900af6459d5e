// A tiny schema language: one definition yields the TypeScript type, a strict runtime validator and the
// egress manifest entry. Kept deliberately small (strings, integers, enums, booleans, and objects of those one
// level deep, e.g. `user: {id, hash}`) because that is every wire shape Temper sends; a general JSON-schema
// engine would cost more bytes than all of our payloads.

/** Where a field's data comes from; privacy officers read this in the egress manifest. */
export type FieldOrigin = 'typed-by-visitor' | 'generated' | 'derived-on-device' | 'host-config' | 'server';

interface FieldBase {
  /** Why the field exists, in one sentence (shown in the egress manifest). */
  readonly purpose: string;
  readonly origin: FieldOrigin;
  readonly optional?: boolean;
}

export interface StringField extends FieldBase {
  readonly kind: 'string';
  /** Length bounds in Unicode code points. */
  readonly minLength: number;
  readonly maxLength: number;
  /** A regular expression source the whole value must match. */
  readonly pattern?: string;
  /** True when a person typed the value (chat text): the manifest flags it. */
  readonly userText?: boolean;
}

export interface IntegerField extends FieldBase {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
}

export interface EnumField<V extends string | number = string | number> extends FieldBase {
  readonly kind: 'enum';
  readonly values: readonly V[];
}

export interface BooleanField extends FieldBase {
  readonly kind: 'boolean';
}

/** A nested object of scalar fields (one level: its fields cannot be objects themselves). */
export interface ObjectField<S extends ScalarSpec = ScalarSpec> extends FieldBase {
  readonly kind: 'object';
  readonly fields: S;
}

export type ScalarField = StringField | IntegerField | EnumField | BooleanField;
export type ScalarSpec = { readonly [name: string]: ScalarField };
export type FieldSpec = ScalarField | ObjectField;
export type ObjectSpec = { readonly [name: string]: FieldSpec };

type FieldType<F> = F extends ObjectField<infer S>
  ? Infer<S>
  : F extends EnumField<infer V>
  ? V
  : F extends StringField
    ? string
    : F extends IntegerField
      ? number
      : F extends BooleanField
        ? boolean
        : never;
type OptionalKeys<S extends ObjectSpec> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends ObjectSpec> = Exclude<keyof S, OptionalKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type a schema describes. */
export type Infer<S extends ObjectSpec> = Flatten<
  { -readonly [K in RequiredKeys<S>]: FieldType<S[K]> } & { -readonly [K in OptionalKeys<S>]?: FieldType<S[K]> }
>;

/** Why a value was refused. Codes are part of the wire contract (see `ERROR_CODES`). */
export type ValidationCode =
  | 'not-an-object'
  | 'unknown-field'
  | 'missing-field'
  | 'wrong-type'
  | 'too-short'
  | 'too-long'
  | 'bad-format'
  | 'lone-surrogate'
  | 'control-character'
  | 'out-of-range'
  | 'not-allowed-value';

export interface ValidationError {
  readonly code: ValidationCode;
  /** The offending field, when there is one. */
  readonly field?: string;
  readonly message: string;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ValidationError };

// A high surrogate not followed by a low one, or a low one not preceded by a high one. Such strings cannot be
// encoded as UTF-8 and would be silently replaced by U+FFFD somewhere down the line: refuse them instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls other than tab and newlines, plus DEL. They have no place in chat text and are a classic way to
// smuggle terminal escapes into log viewers.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Length in Unicode code points (what a person counts), not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function fail(code: ValidationCode, field: string | undefined, message: string): Validated<never> {
  return { ok: false, error: field === undefined ? { code, message } : { code, field, message } };
}

function checkField(name: string, spec: FieldSpec, v: unknown): ValidationError | null {
  switch (spec.kind) {
    case 'object': {
      const r = validate(spec.fields, v, `${name}.`);
      return r.ok ? null : r.error.field ? r.error : { ...r.error, field: name, message: `${name} must be an object` };
    }
    case 'string': {
      if (typeof v !== 'string') return { code: 'wrong-type', field: name, message: `${name} must be a string` };
      if (LONE_SURROGATE.test(v))
        return { code: 'lone-surrogate', field: name, message: `${name} contains an unpaired UTF-16 surrogate` };
      if (CONTROL.test(v))
        return { code: 'control-character', field: name, message: `${name} contains a control character` };
      const len = codePointLength(v);
      if (len < spec.minLength)
        return { code: 'too-short', field: name, message: `${name} must be at least ${spec.minLength} characters` };
      if (len > spec.maxLength)
        return { code: 'too-long', field: name, message: `${name} must be at most ${spec.maxLength} characters` };
      if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`).test(v))
        return { code: 'bad-format', field: name, message: `${name} must match /${spec.pattern}/` };
      return null;
    }
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v))
        return { code: 'wrong-type', field: name, message: `${name} must be an integer` };
      if (v < spec.min || v > spec.max)
        return { code: 'out-of-range', field: name, message: `${name} must be between ${spec.min} and ${spec.max}` };
      return null;
    case 'enum': {
      const expected = typeof spec.values[0];
      if (typeof v !== expected) return { code: 'wrong-type', field: name, message: `${name} must be a ${expected}` };
      if (!spec.values.includes(v as string | number))
        return {
          code: 'not-allowed-value',
          field: name,
          message: `${name} must be one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}`,
        };
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : { code: 'wrong-type', field: name, message: `${name} must be a boolean` };
  }
}

/**
 * Validates `input` against an object schema: unknown fields, missing fields, wrong types, over-long
 * strings, lone surrogates, control characters and out-of-range numbers are all refused, in nested objects
 * too (an error's `field` is then dotted: `user.hash`). `prefix` is prepended to field names in errors.
 *
 * @example
 * const r = validate(schemas.signal, JSON.parse(body));
 * if (!r.ok) return reply(400, { error: r.error });
 */
export function validate<S extends ObjectSpec>(spec: S, input: unknown, prefix = ''): Validated<Infer<S>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('not-an-object', undefined, 'expected a JSON object');
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) return fail('unknown-field', prefix + key, `unknown field ${prefix + key}`);
  }
  for (const [name, field] of Object.entries(spec)) {
    const has = Object.prototype.hasOwnProperty.call(input, name);
    const v = (input as Record<string, unknown>)[name];
    if (!has || v === undefined) {
      if (field.optional) continue;
      return fail('missing-field', prefix + name, `${prefix + name} is required`);
    }
    const err = checkField(prefix + name, field, v);
    if (err) return { ok: false, error: err };
  }
  return { ok: true, value: input as Infer<S> };
}

/** Like `validate`, but throws a `TypeError` carrying `code` and `field`. */
export function assertValid<S extends ObjectSpec>(spec: S, input: unknown): Infer<S> {
  const r = validate(spec, input);
  if (r.ok) return r.value;
  throw Object.assign(new TypeError(r.error.message), { code: r.error.code, field: r.error.field });
}
