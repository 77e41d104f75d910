import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hasHiddenCharacter, normalizeEmail } from './email-address.js';

/** Spellings a reader takes for `alice@example.com`, each a different string. */
const LOOK_ALIKES = [
  'ALICE@EXAMPLE.COM',
  ' Alice@Example.com ',
  'ａｌｉｃｅ@ｅｘａｍｐｌｅ.ｃｏｍ', // fullwidth
  'alıce@example.com', // dotless i
  'AlIce@example.com',
  'ＡＬＩＣＥ@example.com',
];

/** Spellings that keep a character a reader cannot see: refused, never a second account. */
const HIDDEN_VARIANTS = [
  'alİce@example.com', // İ lowers to i + U+0307 COMBINING DOT ABOVE
  'al\u200Bice@example.com', // zero-width space
  'al\u00ADice@example.com', // soft hyphen
  'ali\u0307ce@example.com',
  'al\u200Dice@example.com', // zero-width joiner
  'al\u2060ice@example.com', // word joiner
  'alice\uFE0F@example.com', // variation selector
  'al\u034Fice@example.com', // combining grapheme joiner
  'alice@exam\u200Cple.com', // zero-width non-joiner in the domain
];

describe('normalizeEmail', () => {
  it('folds look-alike spellings onto one address', () => {
    for (const variant of LOOK_ALIKES) expect(normalizeEmail(variant)).toBe('alice@example.com');
  });

  it('applies full case folding, not just lower-casing', () => {
    expect(normalizeEmail('Straße@x.io')).toBe('strasse@x.io');
    expect(normalizeEmail('STRASSE@x.io')).toBe('strasse@x.io');
    expect(normalizeEmail('STRAẞE@x.io')).toBe('strasse@x.io'); // capital sharp s
    expect(normalizeEmail('ΟΔΟΣ@x.gr')).toBe(normalizeEmail('οδος@x.gr')); // final sigma
    expect(normalizeEmail('ὈΔΌΣ@x.gr')).toBe('ὀδόσ@x.gr');
    expect(normalizeEmail('ﬁle@x.io')).toBe('file@x.io'); // the ligature is two letters
    expect(normalizeEmail('Kelvin\u212A@x.io')).toBe('kelvink@x.io'); // KELVIN SIGN
  });

  it('refuses hidden characters that survive normalization', () => {
    for (const variant of HIDDEN_VARIANTS) expect(hasHiddenCharacter(normalizeEmail(variant))).toBe(true);
    for (const variant of LOOK_ALIKES) expect(hasHiddenCharacter(normalizeEmail(variant))).toBe(false);
    // Composed by NFKC: an accent typed as a combining mark is the precomposed letter.
    expect(hasHiddenCharacter(normalizeEmail('re\u0301mi@x.fr'))).toBe(false);
    expect(normalizeEmail('re\u0301mi@x.fr')).toBe('rémi@x.fr');
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        const once = normalizeEmail(raw);
        expect(normalizeEmail(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent on every code point', () => {
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const once = normalizeEmail(String.fromCodePoint(codePoint));
      if (normalizeEmail(once) !== once) throw new Error(`not idempotent on U+${codePoint.toString(16)}`);
    }
  });

  it('maps case, width and compatibility variants of an address to one value', () => {
    const variant = fc.constantFrom<(c: string) => string>(
      (c) => c.toUpperCase(),
      (c) => c.toLowerCase(),
      // Fullwidth forms of ASCII letters, digits and signs (U+FF01..U+FF5E).
      (c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c),
    );
    const local = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzß0123456789._-'), minLength: 1 });
    fc.assert(
      fc.property(local, fc.array(variant, { minLength: 1, maxLength: 64 }), (name, variants) => {
        const address = `${name}@example.com`;
        const spelled = [...address].map((c, i) => variants[i % variants.length](c)).join('');
        expect(normalizeEmail(spelled)).toBe(normalizeEmail(address));
      }),
    );
  });

  it('rejects any address with an invisible or combining character inserted', () => {
    const hidden = fc.constantFrom('\u200B', '\u200C', '\u200D', '\u00AD', '\u2060', '\uFEFF', '\u034F', '\u0337');
    fc.assert(
      fc.property(fc.nat(17), hidden, (at, character) => {
        const address = 'someone@example.com';
        const position = at + 1; // inside: trimming may take one off either end
        const spoofed = address.slice(0, position) + character + address.slice(position);
        expect(hasHiddenCharacter(normalizeEmail(spoofed))).toBe(true);
      }),
    );
  });
});
