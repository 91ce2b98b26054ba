"""Forward pass of a BERT checkpoint (safetensors + config.json, Hugging Face names) in PyTorch.

Reads a JSON batch {"input_ids": [[...]], "attention_mask": [[...]], "token_type_ids": [[...]]}
from --batch (or stdin) and writes {"pooled": [[...]], "last_hidden_state": [[[...]]]} to stdout.
See README.md in this folder.
"""

import argparse
import json
import sys

import torch

from bert_torch import BertConfig, bert_forward, pool, read_safetensors, strip_prefix


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", required=True, help="model.safetensors")
    ap.add_argument("--config", required=True, help="Hugging Face config.json")
    ap.add_argument("--batch", help="JSON batch file (default: stdin)")
    ap.add_argument("--pooling", default="cls", choices=["cls", "mean", "pooler"])
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--hidden", action="store_true", help="also output last_hidden_state")
    args = ap.parse_args()

    torch.set_num_threads(1)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    cfg = BertConfig.from_json(args.config)
    params = {k: v.to(dtype) for k, v in strip_prefix(read_safetensors(args.weights)).items()}
    raw = json.load(open(args.batch) if args.batch else sys.stdin)
    ids = torch.tensor(raw["input_ids"], dtype=torch.long)
    mask = torch.tensor(raw.get("attention_mask") or [[1] * ids.shape[1]] * ids.shape[0])
    types = torch.tensor(raw["token_type_ids"], dtype=torch.long) if raw.get("token_type_ids") else None
    with torch.no_grad():
        hidden = bert_forward(params, cfg, ids, mask, types)
        out = {"pooled": pool(hidden, mask, args.pooling, params).tolist(),
               "torch": torch.__version__, "dtype": args.dtype}
        if args.hidden:
            out["last_hidden_state"] = hidden.tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
