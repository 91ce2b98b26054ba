/**
 * BERT text normalisation (Hugging Face `tokenizers` `BertNormalizer`): clean text, pad CJK
 * ideographs with spaces, strip accents, lowercase.
 *
 * @module
 */

/** Which steps of the BERT normaliser run (the fields of HF's `BertNormalizer` in tokenizer.json). */
export interface BertNormalizerOptions {
  /** Drop NUL, U+FFFD and control characters (Unicode `C*` except tab/LF/CR); map whitespace to " ". */
  readonly cleanText: boolean;
  /** Surround CJK ideographs with spaces so each becomes its own word. */
  readonly handleChineseChars: boolean;
  /** NFD-decompose and drop non-spacing marks (`Mn`). */
  readonly stripAccents: boolean;
  /** Lowercase each code point (Rust `char::to_lowercase`, no context-dependent final sigma). */
  readonly lowercase: boolean;
}

/** The options of an uncased BERT vocabulary such as `bert-base-uncased` (all steps on). */
export const UNCASED_NORMALIZER: BertNormalizerOptions = {
  cleanText: true,
  handleChineseChars: true,
  stripAccents: true,
  lowercase: true,
};

/** The options of a cased BERT vocabulary such as `bert-base-cased` (no lowercase, no accent strip). */
export const CASED_NORMALIZER: BertNormalizerOptions = {
  cleanText: true,
  handleChineseChars: true,
  stripAccents: false,
  lowercase: false,
};

// Characters clean_text touches: every `C*` code point (includes tab/LF/CR, lone surrogates and
// unassigned `Cn`), U+FFFD, and the whitespace that is not `C*` (Rust `char::is_whitespace`).
const CLEAN_TARGETS = /[\p{C}\uFFFD\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;
const NEEDS_CLEAN = /[^\u0020-\u007E]/;
const CJK =
  /[\u4E00-\u9FFF\u3400-\u4DBF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;
const NON_ASCII = /[^\p{ASCII}]/u;
const NONSPACING_MARK = /\p{Mn}/gu;

function cleanChar(c: string): string {
  if (c === "\t" || c === "\n" || c === "\r") return " ";
  // Every other match is either a control/format/unassigned/private/surrogate code point or
  // U+FFFD (dropped), or non-control whitespace (mapped to a space).
  return /^[\p{C}\uFFFD]$/u.test(c) ? "" : " ";
}

/**
 * Normalise text as Hugging Face `tokenizers` `BertNormalizer` does, in its order: clean text,
 * handle Chinese characters, strip accents, lowercase. Pure ASCII text takes a fast path.
 *
 * @example
 * ```ts
 * normalizeBert("Héllo\tWörld", UNCASED_NORMALIZER); // "hello world"
 * ```
 */
export function normalizeBert(text: string, options: BertNormalizerOptions): string {
  let out = text;
  if (options.cleanText && NEEDS_CLEAN.test(out)) out = out.replace(CLEAN_TARGETS, cleanChar);
  const nonAscii = NON_ASCII.test(out);
  if (nonAscii && options.handleChineseChars) out = out.replace(CJK, " $& ");
  if (nonAscii && options.stripAccents) out = out.normalize("NFD").replace(NONSPACING_MARK, "");
  if (options.lowercase) {
    // Per-code-point lowercase like Rust's `char::to_lowercase`: JS applies the context-dependent
    // final-sigma rule to U+03A3, so map it to U+03C3 first.
    if (nonAscii && out.includes("\u03A3")) out = out.replaceAll("\u03A3", "\u03C3");
    out = out.toLowerCase();
  }
  return out;
}
