/**
 * WordPiece vocabulary: tokens by id and ids by token, read from and written to `vocab.txt`.
 *
 * @module
 */

/** A vocabulary: `tokens[id]` is the token with that id; `ids` is the inverse map. */
export interface Vocab {
  readonly tokens: readonly string[];
  readonly ids: ReadonlyMap<string, number>;
}

/**
 * Build a vocabulary from tokens in id order. A token listed twice maps to its last id, as
 * Hugging Face's `load_vocab` and the Rust `WordPiece::read_file` do.
 */
export function vocabFromTokens(tokens: readonly string[]): Vocab {
  const ids = new Map<string, number>();
  tokens.forEach((token, id) => ids.set(token, id));
  return { tokens: [...tokens], ids };
}

/**
 * Parse a BERT `vocab.txt`: one token per line, id = line index (0-based); a trailing newline and
 * `\r\n` line ends are accepted. Trailing whitespace in a token is kept except CR.
 */
export function parseVocabTxt(text: string, source = "vocab.txt"): Vocab {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const tokens = lines.map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
  if (tokens.length === 0) {
    throw new SyntaxError(
      `Cannot parse vocabulary "${source}": expected one token per line, found no lines`,
    );
  }
  return vocabFromTokens(tokens);
}

/** Write a vocabulary as `vocab.txt` text (one token per line in id order, trailing newline). */
export function formatVocabTxt(vocab: Vocab): string {
  for (const token of vocab.tokens) {
    if (token.includes("\n") || token.includes("\r")) {
      throw new TypeError(
        `Cannot write vocab.txt: token ${JSON.stringify(token)} has a line break`,
      );
    }
  }
  return vocab.tokens.join("\n") + "\n";
}

/** Read a `vocab.txt` file (see {@linkcode parseVocabTxt}). */
export async function loadVocabTxt(path: string): Promise<Vocab> {
  return parseVocabTxt(await Deno.readTextFile(path), path);
}

/** Write a vocabulary as a `vocab.txt` file. */
export async function saveVocabTxt(path: string, vocab: Vocab): Promise<void> {
  await Deno.writeTextFile(path, formatVocabTxt(vocab));
}
