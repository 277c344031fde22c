#!/usr/bin/env python3
"""Write a tiny random-weight llama model as a GGUF v3 file, for running Assay's red-team suite
against a real inference engine (node-llama-cpp) without downloading anything.

The weights are random (fixed seed, so the file is byte-for-byte reproducible): the model
generates gibberish. It exists to exercise the real plumbing (tokenizer, context, sampling,
the OpenAI-compatible wrapper), never to say anything about a real model's safety.

Architecture: llama, 2 blocks, embedding 64, 4 attention heads (4 KV heads), feed-forward 128,
RMS norm, RoPE; vocabulary of 259 tokens: <unk>, <s>, </s> and the 256 byte-fallback tokens
<0x00>..<0xFF> of a SentencePiece (`llama`) tokenizer, so any text tokenizes to its UTF-8 bytes.
All tensors are F32.

Usage: /usr/bin/python3 make_tiny_gguf.py [OUT.gguf]   (default: out/tiny-llama.gguf beside it)
Needs numpy (Debian's python3-numpy).
"""

import os
import struct
import sys

import numpy as np

SEED = 20
N_LAYER = 2
N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 4
N_FF = 128
N_CTX = 8192
ALIGNMENT = 32

# GGUF value types (ggml/include/gguf.h)
UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY = 4, 5, 6, 7, 8, 9
GGML_TYPE_F32 = 0
# llama.cpp token types
TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_BYTE = 1, 2, 3, 6


def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def gguf_value(vtype, value):
    if vtype == UINT32:
        return struct.pack("<I", value)
    if vtype == INT32:
        return struct.pack("<i", value)
    if vtype == FLOAT32:
        return struct.pack("<f", value)
    if vtype == BOOL:
        return struct.pack("<B", 1 if value else 0)
    if vtype == STRING:
        return gguf_string(value)
    raise ValueError(f"unsupported value type {vtype}")


def kv(key, vtype, value):
    return gguf_string(key) + struct.pack("<I", vtype) + gguf_value(vtype, value)


def kv_array(key, elem_type, values):
    out = gguf_string(key) + struct.pack("<IIQ", ARRAY, elem_type, len(values))
    return out + b"".join(gguf_value(elem_type, v) for v in values)


def vocabulary():
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL] + [TOKEN_BYTE] * 256
    scores = [0.0] * len(tokens)
    return tokens, scores, types


def tensors(n_vocab):
    """(name, numpy array) in llama.cpp's naming; numpy shapes are GGUF dims reversed."""
    rng = np.random.default_rng(SEED)

    def w(*shape):
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    ones = np.ones(N_EMBD, dtype=np.float32)
    head_dim = N_EMBD // N_HEAD
    out = [("token_embd.weight", w(n_vocab, N_EMBD))]
    for i in range(N_LAYER):
        p = f"blk.{i}."
        out += [
            (p + "attn_norm.weight", ones.copy()),
            (p + "attn_q.weight", w(N_EMBD, N_EMBD)),
            (p + "attn_k.weight", w(N_HEAD_KV * head_dim, N_EMBD)),
            (p + "attn_v.weight", w(N_HEAD_KV * head_dim, N_EMBD)),
            (p + "attn_output.weight", w(N_EMBD, N_EMBD)),
            (p + "ffn_norm.weight", ones.copy()),
            (p + "ffn_gate.weight", w(N_FF, N_EMBD)),
            (p + "ffn_up.weight", w(N_FF, N_EMBD)),
            (p + "ffn_down.weight", w(N_EMBD, N_FF)),
        ]
    out += [("output_norm.weight", ones.copy()), ("output.weight", w(n_vocab, N_EMBD))]
    return out


def pad(n):
    return (ALIGNMENT - n % ALIGNMENT) % ALIGNMENT


def build():
    tokens, scores, types = vocabulary()
    metadata = [
        kv("general.architecture", STRING, "llama"),
        kv("general.name", STRING, "assay-tiny-random-llama"),
        kv("general.alignment", UINT32, ALIGNMENT),
        kv("llama.context_length", UINT32, N_CTX),
        kv("llama.embedding_length", UINT32, N_EMBD),
        kv("llama.block_count", UINT32, N_LAYER),
        kv("llama.feed_forward_length", UINT32, N_FF),
        kv("llama.attention.head_count", UINT32, N_HEAD),
        kv("llama.attention.head_count_kv", UINT32, N_HEAD_KV),
        kv("llama.attention.layer_norm_rms_epsilon", FLOAT32, 1e-5),
        kv("llama.rope.dimension_count", UINT32, N_EMBD // N_HEAD),
        kv("llama.rope.freq_base", FLOAT32, 10000.0),
        kv("llama.vocab_size", UINT32, len(tokens)),
        kv("tokenizer.ggml.model", STRING, "llama"),
        kv_array("tokenizer.ggml.tokens", STRING, tokens),
        kv_array("tokenizer.ggml.scores", FLOAT32, scores),
        kv_array("tokenizer.ggml.token_type", INT32, types),
        kv("tokenizer.ggml.unknown_token_id", UINT32, 0),
        kv("tokenizer.ggml.bos_token_id", UINT32, 1),
        kv("tokenizer.ggml.eos_token_id", UINT32, 2),
        kv("tokenizer.ggml.add_bos_token", BOOL, True),
        kv("tokenizer.ggml.add_eos_token", BOOL, False),
    ]
    arrays = tensors(len(tokens))
    infos, offset = [], 0
    for name, a in arrays:
        dims = list(reversed(a.shape))  # GGUF lists ne[0] (the contiguous dimension) first
        infos.append(
            gguf_string(name)
            + struct.pack("<I", len(dims))
            + b"".join(struct.pack("<Q", d) for d in dims)
            + struct.pack("<IQ", GGML_TYPE_F32, offset)
        )
        offset += a.nbytes + pad(a.nbytes)
    header = b"GGUF" + struct.pack("<IQQ", 3, len(arrays), len(metadata))
    head = header + b"".join(metadata) + b"".join(infos)
    parts = [head, b"\0" * pad(len(head))]
    for _, a in arrays:
        data = np.ascontiguousarray(a, dtype="<f4").tobytes()
        parts += [data, b"\0" * pad(len(data))]
    return b"".join(parts)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "out", "tiny-llama.gguf")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    data = build()
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)
    print(f"wrote {out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
