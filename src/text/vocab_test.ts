import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  formatVocabTxt,
  loadVocabTxt,
  parseVocabTxt,
  saveVocabTxt,
  vocabFromTokens,
} from "./vocab.ts";

Deno.test("vocab.txt: id is the line index; LF or CRLF; trailing newline optional", () => {
  const v = parseVocabTxt("[PAD]\r\n[UNK]\r\nhello\r\n##s");
  deepStrictEqual(v.tokens, ["[PAD]", "[UNK]", "hello", "##s"]);
  strictEqual(v.ids.get("hello"), 2);
  strictEqual(v.ids.get("##s"), 3);
  deepStrictEqual(parseVocabTxt("a\nb\n").tokens, ["a", "b"]);
  throws(() => parseVocabTxt(""), SyntaxError);
});

Deno.test("a duplicate token maps to its last id, like Hugging Face", () => {
  const v = vocabFromTokens(["a", "b", "a"]);
  strictEqual(v.ids.get("a"), 2);
  strictEqual(v.tokens.length, 3);
});

Deno.test("write then read a vocab.txt file gives the same vocabulary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const v = vocabFromTokens(["[PAD]", "[UNK]", "héllo", "##🤗", " spaced "]);
    strictEqual(formatVocabTxt(v), "[PAD]\n[UNK]\nhéllo\n##🤗\n spaced \n");
    await saveVocabTxt(`${dir}/vocab.txt`, v);
    deepStrictEqual((await loadVocabTxt(`${dir}/vocab.txt`)).tokens, v.tokens);
    throws(() => formatVocabTxt(vocabFromTokens(["a\nb"])), TypeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
