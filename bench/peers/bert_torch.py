"""Hugging Face BertModel written directly in PyTorch ops (no `transformers`), with a
safetensors reader: the independent peer the suite's tfjs encoder and training step are
compared with.

Architecture: Devlin et al. 2019 (arXiv 1810.04805) and
`transformers/models/bert/modeling_bert.py`: token + position + segment embeddings, LayerNorm,
post-LN layers of multi-head self-attention (additive padding mask) and an erf-GELU FFN.
"""

import json
import math
import struct

import torch
import torch.nn.functional as F

# safetensors dtype names -> torch dtypes (https://github.com/huggingface/safetensors, format spec).
SAFETENSORS_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}


def read_safetensors(path):
    """Read every tensor of a safetensors file: 8-byte little-endian header length N, N bytes of
    JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, raw data
    (offsets relative to the end of the header)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"Cannot read safetensors {path!r}: file shorter than 8 bytes")
    (header_len,) = struct.unpack("<Q", blob[:8])
    if 8 + header_len > len(blob):
        raise ValueError(f"Cannot read safetensors {path!r}: header length {header_len} exceeds file")
    header = json.loads(blob[8 : 8 + header_len].decode("utf-8"))
    base = 8 + header_len
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = SAFETENSORS_DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError(f"Cannot read tensor {name!r} of {path!r}: dtype {entry['dtype']!r}")
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        raw = bytearray(blob[base + begin : base + end])
        if len(raw) == 0:
            tensors[name] = torch.zeros(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(raw, dtype=dtype).reshape(shape).clone()
    return tensors


class BertConfig:
    """The BertConfig fields the forward pass needs (Hugging Face config.json names)."""

    def __init__(self, vocab_size, hidden_size, num_hidden_layers, num_attention_heads,
                 intermediate_size, max_position_embeddings=512, type_vocab_size=2,
                 layer_norm_eps=1e-12):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.layer_norm_eps = layer_norm_eps

    @staticmethod
    def from_json(path):
        with open(path) as f:
            raw = json.load(f)
        act = raw.get("hidden_act", "gelu")
        if act != "gelu":
            raise ValueError(f"Cannot use hidden_act {act!r} of {path!r}: expected 'gelu'")
        return BertConfig(
            raw["vocab_size"], raw["hidden_size"], raw["num_hidden_layers"],
            raw["num_attention_heads"], raw["intermediate_size"],
            raw.get("max_position_embeddings", 512), raw.get("type_vocab_size", 2),
            raw.get("layer_norm_eps", 1e-12))


def parameter_shapes(cfg):
    """Hugging Face BertModel parameter names (bare prefix) and shapes; Linear weights [out, in]."""
    h, i = cfg.hidden_size, cfg.intermediate_size
    shapes = {
        "embeddings.word_embeddings.weight": [cfg.vocab_size, h],
        "embeddings.position_embeddings.weight": [cfg.max_position_embeddings, h],
        "embeddings.token_type_embeddings.weight": [cfg.type_vocab_size, h],
        "embeddings.LayerNorm.weight": [h],
        "embeddings.LayerNorm.bias": [h],
    }
    for layer in range(cfg.num_hidden_layers):
        p = f"encoder.layer.{layer}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value",
                     "attention.output.dense"):
            shapes[p + name + ".weight"] = [h, h]
            shapes[p + name + ".bias"] = [h]
        shapes[p + "attention.output.LayerNorm.weight"] = [h]
        shapes[p + "attention.output.LayerNorm.bias"] = [h]
        shapes[p + "intermediate.dense.weight"] = [i, h]
        shapes[p + "intermediate.dense.bias"] = [i]
        shapes[p + "output.dense.weight"] = [h, i]
        shapes[p + "output.dense.bias"] = [h]
        shapes[p + "output.LayerNorm.weight"] = [h]
        shapes[p + "output.LayerNorm.bias"] = [h]
    return shapes


def init_parameters(cfg, generator, dtype=torch.float32):
    """BERT initialisation: normal(0, 0.02) weights and embeddings, LayerNorm 1/0, biases 0."""
    params = {}
    for name, shape in parameter_shapes(cfg).items():
        if name.endswith("LayerNorm.weight"):
            t = torch.ones(shape, dtype=dtype)
        elif name.endswith(".bias"):
            t = torch.zeros(shape, dtype=dtype)
        else:
            t = torch.randn(shape, generator=generator, dtype=dtype) * 0.02
        params[name] = t.requires_grad_(True)
    return params


def strip_prefix(tensors):
    """Accept both bare names and the `bert.` prefix of BertForPreTraining checkpoints."""
    if any(name.startswith("bert.") for name in tensors):
        return {name[5:]: t for name, t in tensors.items() if name.startswith("bert.")}
    return dict(tensors)


def bert_forward(params, cfg, input_ids, attention_mask, token_type_ids=None):
    """Last hidden states [B, S, H] of Hugging Face BertModel (eval mode, no dropout)."""
    w = params
    batch, seq = input_ids.shape
    h = cfg.hidden_size
    heads = cfg.num_attention_heads
    d = h // heads
    dtype = w["embeddings.word_embeddings.weight"].dtype
    if token_type_ids is None:
        token_type_ids = torch.zeros_like(input_ids)
    positions = torch.arange(seq, dtype=torch.long)
    x = (w["embeddings.word_embeddings.weight"][input_ids]
         + w["embeddings.position_embeddings.weight"][positions][None, :, :]
         + w["embeddings.token_type_embeddings.weight"][token_type_ids])
    x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                     cfg.layer_norm_eps)
    # Additive mask as in HF get_extended_attention_mask: (1 - mask) * finfo(dtype).min.
    bias = (1.0 - attention_mask.to(dtype))[:, None, None, :] * torch.finfo(dtype).min

    def heads_first(t):
        return t.view(batch, seq, heads, d).permute(0, 2, 1, 3)

    for layer in range(cfg.num_hidden_layers):
        p = f"encoder.layer.{layer}."

        def linear(t, name):
            return F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"])

        q = heads_first(linear(x, "attention.self.query"))
        k = heads_first(linear(x, "attention.self.key"))
        v = heads_first(linear(x, "attention.self.value"))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        probs = torch.softmax(scores, dim=-1)
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(batch, seq, h)
        x = F.layer_norm(linear(context, "attention.output.dense") + x, (h,),
                         w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], cfg.layer_norm_eps)
        inner = F.gelu(linear(x, "intermediate.dense"))  # exact erf GELU (HF "gelu")
        x = F.layer_norm(linear(inner, "output.dense") + x, (h,),
                         w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
                         cfg.layer_norm_eps)
    return x


def pool(hidden, attention_mask, pooling, params=None):
    """`cls`: first token; `mean`: mean over unmasked tokens; `pooler`: tanh(W h_cls + b)."""
    if pooling == "cls":
        return hidden[:, 0]
    if pooling == "mean":
        m = attention_mask.to(hidden.dtype)[:, :, None]
        return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
    if pooling == "pooler":
        return torch.tanh(F.linear(hidden[:, 0], params["pooler.dense.weight"],
                                   params["pooler.dense.bias"]))
    raise ValueError(f"Cannot pool with {pooling!r}: expected cls, mean or pooler")
