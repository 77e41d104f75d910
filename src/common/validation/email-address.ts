import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A combining mark, a format character or any other default-ignorable code
 * point (Unicode Mn, Cf, Default_Ignorable_Code_Point): invisible, or a dot
 * that case mapping left behind (`İ` lowers to `i` + U+0307). An address that
 * holds one after normalization looks like another one and is refused.
 */
const HIDDEN = /[\p{Mn}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The one form of an email address: used to store it, look it up, keep it
 * unique and key every limit on it. Trimmed, then NFKC (fullwidth `ａ` is
 * `a`, the `ﬁ` ligature is `fi`), then full case folding (`ß` is `ss`, `Σ`
 * and final `ς` are `σ`), then NFKC again (folding can undo a composition).
 *
 * The folding is lower(upper(lower(x))) with final sigma made plain, through
 * the runtime's ICU full case mappings (SpecialCasing included). Compared
 * code point by code point with CaseFolding.txt (full folding), it differs
 * only where it merges more: Cherokee letters land on their lowercase rather
 * than uppercase form (the same classes), and dotless `ı` becomes `i`, which
 * full folding keeps apart and which is exactly the look-alike to refuse. A
 * package would add a copy of a table the runtime already has.
 */
export function normalizeEmail(raw: string): string {
  // Trimmed again at the end: NFKC can turn a sign into a space and a combining mark (`¨` is U+0020 U+0308).
  const folded = raw.trim().normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().replaceAll('ς', 'σ');
  return folded.normalize('NFKC').trim();
}

/** Whether a normalized address still holds a character a reader cannot see (then it is a `400`). */
export function hasHiddenCharacter(normalized: string): boolean {
  return HIDDEN.test(normalized);
}

/**
 * An `email` field of a request body: normalized (`normalizeEmail`) before
 * any other validator sees it, and refused when a hidden character remains.
 */
export function NormalizedEmail(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeEmail(value) : value,
  );
  const visible = ValidateBy(
    {
      name: 'visibleEmail',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasHiddenCharacter(value),
        defaultMessage: () => 'must not contain combining marks or invisible characters (such as U+0307 or U+200B)',
      },
    },
    options,
  );
  return (target, property) => {
    transform(target, property);
    visible(target, property);
  };
}
