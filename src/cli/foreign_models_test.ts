/**
 * The CLIs on folders written by other tools: `distill --teacher` a Hugging Face BERT folder
 * (vocab.txt tokenizer), `search --model` a sentence-transformers folder (prompts honoured) and the
 * student distilled from the former; `pytorch_model.bin` refused with a clear message.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { findEncoder } from "../retrieval/mod.ts";
import { captureIo, encoderConfig, teacherOnDisk, teacherSpec, tinyTask } from "../testing/mod.ts";
import { writeHfTeacher, writeStTeacher } from "../testing/foreign_teachers.ts";
import { main as distill } from "./distill.ts";
import { main as search } from "./search.ts";
import { OnnxTextEncoder } from "../models/onnx/mod.ts";

const TASK = tinyTask({ train: 40, documents: 300, dev: 8, test: 20, pool: 0, vocabSize: 600 });

Deno.test("distill and search CLIs take Hugging Face and sentence-transformers folders", async () => {
  const { root, data } = await teacherOnDisk(TASK, 1, "embeddistill-cli-foreign-");
  try {
    const base = teacherSpec(TASK, encoderConfig(TASK.vocabSize, 16, 1, 2));
    const hf = await writeHfTeacher(join(root, "hf"), base, TASK.tokenizer.config);
    const prompts = { query: "query: ", document: "passage: " };
    const st = await writeStTeacher(join(root, "st"), base, TASK.tokenizer.config, prompts);
    const home = join(root, "home");

    const student = join(root, "student");
    const io = captureIo();
    const args = [
      "--teacher",
      hf.dir,
      "--data",
      data,
      "--out",
      student,
      "--layers",
      "1",
      "--hidden",
      "8",
      "--heads",
      "2",
      "--steps",
      "2",
      "--batch",
      "8",
      "--eval-every",
      "2",
      "--threads",
      "1",
      "--home",
      home,
    ]; // deno-fmt-ignore
    assert.equal(await distill(args, io), 0, io.err());
    await Deno.stat(join(student, "modules.json"));
    await Deno.stat(join(student, "onnx", "model.onnx"));

    for (const model of [st.dir, student]) {
      const out = captureIo();
      const run = join(root, `${model.split("/").at(-1)}.trec`);
      const searchArgs = [
        "--model",
        model,
        "--data",
        data,
        "--run",
        run,
        "-m",
        "nDCG@10",
        "--latency-queries",
        "0",
      ]; // deno-fmt-ignore
      const before = Deno.env.get("EMBEDDISTILL_HOME");
      Deno.env.set("EMBEDDISTILL_HOME", home);
      try {
        assert.equal(await search(searchArgs, out), 0, out.err());
      } finally {
        if (before === undefined) Deno.env.delete("EMBEDDISTILL_HOME");
        else Deno.env.set("EMBEDDISTILL_HOME", before);
      }
      assert.match(out.out.join("\n"), /^nDCG@10\tall\t[0-9.]+/);
      // Parameter counts come from the folder's config.json (suite section or not).
      assert.match(out.out.join("\n"), /\nparams_[a-z]+_query\t[1-9][0-9]*\n/);
      assert.ok((await Deno.readTextFile(run)).split("\n").length > 20);
    }

    // Search's encoder of the sentence-transformers folder puts the prompts before the texts.
    const ref = await findEncoder(st.dir, "query", { artifacts: join(home, "artifacts") });
    const encoder = await OnnxTextEncoder.load(ref.dir);
    try {
      const text = TASK.dataset.queries[0]!.text;
      const maxLength = encoder.config.queryMaxLength;
      assert.deepEqual(
        encoder.tokenizeQueries([text])[0],
        encoder.tokenizer.encode(prompts.query + text, { maxLength }).ids,
      );
      assert.deepEqual(
        encoder.tokenizeDocuments([text])[0],
        encoder.tokenizer.encode(prompts.document + text, {
          maxLength: encoder.config.docMaxLength,
        }).ids,
      );
    } finally {
      await encoder.close();
    }

    // A PyTorch pickle is refused, saying what to do.
    await Deno.remove(join(hf.dir, "model.safetensors"));
    await Deno.writeTextFile(join(hf.dir, "pytorch_model.bin"), "pickle");
    const refused = captureIo();
    const again = ["--teacher", hf.dir, "--data", data, "--out", join(root, "o2"), "--home", home];
    assert.equal(await distill(again, refused), 1);
    assert.match(refused.err(), /pytorch_model\.bin.*convert it to "model\.safetensors"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
