"""Time training steps of a BERT dual encoder in PyTorch: two towers (shared or separate weights)
encode a batch of queries and of documents, in-batch softmax loss over q . d scores (label = the
diagonal), Adam. Prints one JSON object to stdout. See README.md in this folder.
"""

import argparse
import json
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=None, help="default 4 x hidden")
    ap.add_argument("--vocab", type=int, default=30522)
    ap.add_argument("--seq", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--towers", default="separate", choices=["shared", "separate"])
    ap.add_argument("--pooling", default="cls", choices=["cls", "mean"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    # OpenBLAS (Debian's torch BLAS) and OpenMP read their thread counts when torch loads.
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
    q_params = init_parameters(cfg, gen)
    d_params = q_params if args.towers == "shared" else init_parameters(cfg, gen)
    trainable = list(q_params.values())
    if args.towers == "separate":
        trainable += list(d_params.values())
    opt = torch.optim.Adam(trainable, lr=args.lr)
    mask = torch.ones(args.batch, args.seq, dtype=torch.long)
    labels = torch.arange(args.batch)

    def encode(params, ids):
        hidden = bert_forward(params, cfg, ids, mask)
        if args.pooling == "cls":
            return hidden[:, 0]
        return hidden.mean(dim=1)

    times, losses = [], []
    for step in range(args.warmup + args.steps):
        q_ids = torch.randint(0, args.vocab, (args.batch, args.seq), generator=gen)
        d_ids = torch.randint(0, args.vocab, (args.batch, args.seq), generator=gen)
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        scores = encode(q_params, q_ids) @ encode(d_params, d_ids).T
        loss = F.cross_entropy(scores, labels)
        loss.backward()
        opt.step()
        elapsed = time.perf_counter() - start
        if step >= args.warmup:
            times.append(elapsed)
            losses.append(loss.item())
    n_params = sum(p.numel() for p in trainable)
    json.dump({
        "peer": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "config": {k: v for k, v in vars(args).items()} | {"intermediate": cfg.intermediate_size},
        "parameters": n_params,
        "seconds_per_step": statistics.median(times),
        "step_seconds": times,
        "losses": losses,
    }, sys.stdout)


if __name__ == "__main__":
    main()
