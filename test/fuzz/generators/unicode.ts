import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { anyAuth, json, ownTarget } from './common.js';

/** Pieces of hostile text, each one to three code points (a lone surrogate counts as one). */
const PIECES = [
  'a',
  ' ',
  'é',
  'e\u0301',
  '\u0301\u0302\u0303',
  '\u202e',
  '\u202d',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\u00a0',
  '\uffff',
  '\ufffd',
  '😀',
  '👩‍💻',
  '\ud800',
  '\udfff',
  '\udbff\udbff',
  '\u0007',
  '\u001b[31m',
  '𝕏',
  'ﷺ',
  '\u0600',
];

const text = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 40 }).map((pieces) => pieces.join(''));
const withNul = fc.tuple(text, fc.constantFrom('\u0000', 'a\u0000b')).map(([value, nul]) => value + nul);

const isWellFormed = (value: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
const codePoints = (value: string) => [...value].length;

/**
 * Odd Unicode in a task's text fields. A title or description the service takes must come back
 * exactly as sent (after trimming); text holding NUL is a 400 on its field; text that is not
 * well-formed (lone surrogates) is either refused (400) or kept exactly — never silently changed.
 */
const taskText: fc.Arbitrary<HostileRequest> = fc
  .tuple(ownTarget('createTask'), anyAuth, fc.oneof(text, withNul), fc.constantFrom('title', 'description', 'tags'))
  .map(([target, auth, value, field]) => {
    const body =
      field === 'title'
        ? { title: value }
        : field === 'tags'
          ? { title: 't', tags: [value] }
          : { title: 't', description: value };
    const trimmed = value.trim();
    const limit = field === 'title' ? 200 : field === 'tags' ? 50 : 2000;
    const nul = value.includes('\u0000');
    const fits =
      codePoints(field === 'description' ? value : trimmed) <= limit && (field === 'description' || trimmed !== '');
    const verdict =
      nul || !fits
        ? { kind: 'invalid' as const, fields: [field] }
        : isWellFormed(value)
          ? { kind: 'valid' as const }
          : { kind: 'unknown' as const };
    const stored = field === 'title' ? trimmed : field === 'tags' ? [trimmed] : value;
    const expectStored = verdict.kind === 'invalid' ? undefined : { field, value: stored };
    return {
      method: 'POST',
      target,
      auth,
      body: { text: json(body), verdict },
      ...(expectStored ? { expectStored } : {}),
    };
  });

/** Bytes that are not UTF-8 (overlong forms, encoded surrogates, stray continuation bytes): never taken as text. */
const INVALID_UTF8 = ['c0af', 'e080af', 'eda080', 'edbfbf', '80', 'bf', 'fe', 'ff', 'e282', 'f4908080', 'f880808080'];
const rawBytes: fc.Arbitrary<HostileRequest> = fc
  .tuple(ownTarget('createTask'), anyAuth, fc.constantFrom(...INVALID_UTF8), fc.boolean())
  .map(([target, auth, bad, inKey]) => {
    const hex = inKey
      ? Buffer.concat([Buffer.from('{"title":"ok","'), Buffer.from(bad, 'hex'), Buffer.from('":1}')]).toString('hex')
      : Buffer.concat([Buffer.from('{"title":"a'), Buffer.from(bad, 'hex'), Buffer.from('b"}')]).toString('hex');
    return { method: 'POST', target, auth, body: { hex, verdict: { kind: 'rejected' as const } } };
  });

/** A byte-order mark before the JSON is tolerated (RFC 8259 §8.1 lets a parser ignore it). */
const bom: fc.Arbitrary<HostileRequest> = fc.tuple(ownTarget('createTask'), anyAuth).map(([target, auth]) => ({
  method: 'POST',
  target,
  auth,
  body: { hex: Buffer.from('\ufeff{"title":"bom"}').toString('hex'), verdict: { kind: 'unknown' as const } },
}));

export const oddUnicode: FuzzClass<HostileRequest> = {
  name: 'odd-unicode',
  arbitrary: fc.oneof({ arbitrary: taskText, weight: 4 }, { arbitrary: rawBytes, weight: 2 }, bom),
  run: execute,
};
