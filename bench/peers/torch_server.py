"""A long-lived PyTorch peer for interleaved timing: builds a BERT dual encoder (shared towers,
mean pooling) once, then answers one command per stdin line with one JSON line on stdout:

  train   one training step (random ids, in-batch softmax over q . d, Adam), timed
  encode  one no-grad forward + mean pooling of --encode-docs x --encode-seq ids, timed
  quit    exit

Only the work is timed (time.perf_counter), not the pipe, so the caller can alternate its own
step with the peer's. The first line printed is a `ready` object with torch's version, threads and
the BLAS library the process mapped (an OpenBLAS or the reference BLAS, from /proc/self/maps).
"""

import argparse
import json
import os
import sys
import time


def mapped_blas():
    """The BLAS library files mapped into this process (realpaths), from /proc/self/maps."""
    found = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if "blas" in name:
                    found.add(os.path.realpath(path))
    except OSError:
        return ["unknown"]
    return sorted(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=None)
    ap.add_argument("--vocab", type=int, default=30522)
    ap.add_argument("--seq", type=int, default=32)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--encode-docs", type=int, default=32)
    ap.add_argument("--encode-seq", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch
    import torch.nn.functional as F

    from bert_torch import BertConfig, bert_forward, init_parameters

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    gen = torch.Generator().manual_seed(args.seed)
    cfg = BertConfig(args.vocab, args.hidden, args.layers, args.heads,
                     args.intermediate or 4 * args.hidden)
    params = init_parameters(cfg, gen)
    opt = torch.optim.Adam(list(params.values()), lr=1e-4)
    mask = torch.ones(args.batch, args.seq, dtype=torch.long)
    labels = torch.arange(args.batch)
    enc_ids = torch.randint(1, args.vocab, (args.encode_docs, args.encode_seq), generator=gen)
    enc_mask = torch.ones(args.encode_docs, args.encode_seq, dtype=torch.long)

    def train():
        q_ids = torch.randint(0, args.vocab, (args.batch, args.seq), generator=gen)
        d_ids = torch.randint(0, args.vocab, (args.batch, args.seq), generator=gen)
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        q = bert_forward(params, cfg, q_ids, mask).mean(dim=1)
        d = bert_forward(params, cfg, d_ids, mask).mean(dim=1)
        loss = F.cross_entropy(q @ d.T, labels)
        loss.backward()
        opt.step()
        return time.perf_counter() - start

    def encode():
        start = time.perf_counter()
        with torch.no_grad():
            bert_forward(params, cfg, enc_ids, enc_mask).mean(dim=1)
        return time.perf_counter() - start

    # One of each before `ready`, so that the BLAS is loaded and mapped.
    train()
    encode()
    print(json.dumps({
        "ready": True,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": mapped_blas(),
    }), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command == "train":
            print(json.dumps({"seconds": train()}), flush=True)
        elif command == "encode":
            print(json.dumps({"seconds": encode()}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)


if __name__ == "__main__":
    main()
