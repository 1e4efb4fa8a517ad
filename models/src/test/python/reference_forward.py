#!/usr/bin/env python3
"""Reference outputs of the stories260K Llama model, computed in plain NumPy.

This script checks the Java port in the models module against an independent implementation.
It parses the GGUF file itself, tokenizes with SentencePiece BPE, runs the decoder in float64,
and writes the fixture that the Java tests compare against:

* the token ids of a fixed prompt (BOS first) and the full logits of its last 3 positions;
* the ids and text of a 40-token greedy continuation of "Once upon a time";
* token ids of several strings, including byte-fallback and control-token cases.

Only the standard library and NumPy are used (no torch, no gguf package), so the reference shares
no code with the Java side.

Regenerate the fixture from the repository root with:

    python3 models/src/test/python/reference_forward.py \
        bundled/models/stories260K/stories260K.gguf \
        models/src/test/resources/fixtures/stories260K_reference.json

Rerun it whenever the model file, the prompts or the tokenizer rules change, and commit the JSON.
"""

import hashlib
import heapq
import json
import struct
import sys

import numpy as np

GGUF_MAGIC = 0x46554747  # "GGUF" read as a little-endian uint32
SCALAR_FORMATS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
TYPE_STRING = 8
TYPE_ARRAY = 9
GGML_F32 = 0
GGML_F16 = 1

TOKEN_NORMAL = 1
TOKEN_UNKNOWN = 2
TOKEN_CONTROL = 3
TOKEN_USER_DEFINED = 4
TOKEN_BYTE = 6

PROMPT = "Once upon a time, there was a little girl named Lily."
STORY_PROMPT = "Once upon a time"
STORY_NEW_TOKENS = 40
LOGIT_POSITIONS = 3
TOKENIZER_CASES = [
    "Hello world",
    "Once upon a time, there was a little girl named Lily.",
    "  two leading spaces and trailing ones  ",
    "Tab\tand\nnewline",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9",
    "I like \U0001F600 and \U0001F680!",
    "\u4f60\u597d\u4e16\u754c",
    "<s>[U] hi [A] ok</s>",
    "a<unk>b",
]


class Reader:
    """Reads little-endian GGUF values from a byte buffer."""

    def __init__(self, data):
        self.data = data
        self.offset = 0

    def scalar(self, fmt):
        value = struct.unpack_from("<" + fmt, self.data, self.offset)[0]
        self.offset += struct.calcsize("<" + fmt)
        return value

    def string(self):
        length = self.scalar("Q")
        text = self.data[self.offset:self.offset + length].decode("utf-8")
        self.offset += length
        return text

    def value(self, value_type):
        if value_type == TYPE_STRING:
            return self.string()
        if value_type == TYPE_ARRAY:
            element_type = self.scalar("I")
            count = self.scalar("Q")
            return [self.value(element_type) for _ in range(count)]
        return self.scalar(SCALAR_FORMATS[value_type])


def read_gguf(path):
    """Parse a GGUF file into (metadata dict, float64 tensors in reversed-GGUF-dimension shape)."""
    with open(path, "rb") as handle:
        data = handle.read()

    reader = Reader(data)
    if reader.scalar("I") != GGUF_MAGIC:
        raise ValueError(f"{path}: not a GGUF file")
    version = reader.scalar("I")
    if version not in (2, 3):
        raise ValueError(f"{path}: unsupported GGUF version {version}")
    tensor_count = reader.scalar("Q")
    kv_count = reader.scalar("Q")

    metadata = {}
    for _ in range(kv_count):
        key = reader.string()
        metadata[key] = reader.value(reader.scalar("I"))
    infos = []
    for _ in range(tensor_count):
        name = reader.string()
        dims = [reader.scalar("Q") for _ in range(reader.scalar("I"))]
        infos.append((name, dims, reader.scalar("I"), reader.scalar("Q")))

    alignment = metadata.get("general.alignment", 32)
    data_start = (reader.offset + alignment - 1) // alignment * alignment
    tensors = {}
    for name, dims, ggml_type, offset in infos:
        count = int(np.prod(dims))
        dtype = {GGML_F32: "<f4", GGML_F16: "<f2"}[ggml_type]
        flat = np.frombuffer(data, dtype=dtype, count=count, offset=data_start + offset)
        # The first GGUF dimension is the contiguous one, so the row-major shape is the reverse.
        tensors[name] = flat.astype(np.float64).reshape(list(reversed(dims)))
    return metadata, tensors


class SentencePieceBpe:
    """SentencePiece BPE as llama.cpp applies it to a GGUF "llama" vocabulary."""

    def __init__(self, metadata):
        self.tokens = metadata["tokenizer.ggml.tokens"]
        self.scores = metadata["tokenizer.ggml.scores"]
        self.types = metadata["tokenizer.ggml.token_type"]
        self.ids = {}
        for index, piece in enumerate(self.tokens):
            self.ids.setdefault(piece, index)
        special_types = (TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED)
        specials = [piece for piece, kind in zip(self.tokens, self.types) if kind in special_types]
        self.specials = sorted(specials, key=len, reverse=True)
        self.bos = metadata["tokenizer.ggml.bos_token_id"]

    def encode(self, text):
        ids = []
        previous_special = True
        for fragment, is_special in self.split_specials(text):
            if is_special:
                ids.append(self.ids[fragment])
                previous_special = True
            else:
                if previous_special:
                    fragment = " " + fragment
                ids.extend(self.encode_plain(fragment.replace(" ", "\u2581")))
                previous_special = False
        return ids

    def split_specials(self, text):
        position = 0
        pieces = []
        while position < len(text):
            match = None
            for special in self.specials:
                at = text.find(special, position)
                if at >= 0 and (match is None or at < match[0]):
                    match = (at, special)
            if match is None:
                pieces.append((text[position:], False))
                break
            if match[0] > position:
                pieces.append((text[position:match[0]], False))
            pieces.append((match[1], True))
            position = match[0] + len(match[1])
        return pieces

    def encode_plain(self, text):
        # Symbols start as single code points. The best-scoring adjacent pair is merged first, and
        # the leftmost pair wins a tie. Merging stops when no adjacent pair forms a vocabulary piece.
        symbols = list(text)
        while True:
            best = None
            for i in range(len(symbols) - 1):
                merged = symbols[i] + symbols[i + 1]
                if merged in self.ids:
                    score = self.scores[self.ids[merged]]
                    if best is None or score > best[0]:
                        best = (score, i)
            if best is None:
                break
            i = best[1]
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        ids = []
        for symbol in symbols:
            if symbol in self.ids:
                ids.append(self.ids[symbol])
            else:
                ids.extend(self.ids["<0x%02X>" % byte] for byte in symbol.encode("utf-8"))
        return ids

    def decode(self, ids):
        out = bytearray()
        first = True
        for token in ids:
            kind = self.types[token]
            if kind in (TOKEN_UNKNOWN, TOKEN_CONTROL):
                continue
            if kind == TOKEN_BYTE:
                piece = bytes([int(self.tokens[token][3:5], 16)])
            else:
                piece = self.tokens[token].replace("\u2581", " ").encode("utf-8")
            if first and piece.startswith(b" "):
                piece = piece[1:]
            first = False
            out.extend(piece)
        return out.decode("utf-8", errors="replace")


class Llama:
    """The Llama decoder: RMSNorm, grouped-query attention with RoPE, SwiGLU feed-forward."""

    def __init__(self, metadata, tensors):
        self.t = tensors
        self.dim = metadata["llama.embedding_length"]
        self.layers = metadata["llama.block_count"]
        self.heads = metadata["llama.attention.head_count"]
        self.kv_heads = metadata.get("llama.attention.head_count_kv", self.heads)
        self.eps = metadata["llama.attention.layer_norm_rms_epsilon"]
        self.head_dim = self.dim // self.heads
        self.rope_dim = metadata.get("llama.rope.dimension_count", self.head_dim)
        self.rope_base = metadata.get("llama.rope.freq_base", 10000.0)
        self.embedding = tensors["token_embd.weight"]
        self.classifier = tensors.get("output.weight", self.embedding)

    def rms_norm(self, x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * weight

    def rope(self, x, positions):
        # x has shape [T, heads, head_dim]. Pair (2i, 2i+1) turns by position * base^(-2i / rope_dim).
        half = self.rope_dim // 2
        freqs = self.rope_base ** (-np.arange(half) * 2.0 / self.rope_dim)
        angles = positions[:, None] * freqs[None, :]
        cos = np.cos(angles)[:, None, :]
        sin = np.sin(angles)[:, None, :]
        out = x.copy()
        even = x[..., 0:self.rope_dim:2]
        odd = x[..., 1:self.rope_dim:2]
        out[..., 0:self.rope_dim:2] = even * cos - odd * sin
        out[..., 1:self.rope_dim:2] = even * sin + odd * cos
        return out

    def attention(self, x, layer, positions):
        p = f"blk.{layer}."
        length = x.shape[0]
        q = (x @ self.t[p + "attn_q.weight"].T).reshape(length, self.heads, self.head_dim)
        k = (x @ self.t[p + "attn_k.weight"].T).reshape(length, self.kv_heads, self.head_dim)
        v = (x @ self.t[p + "attn_v.weight"].T).reshape(length, self.kv_heads, self.head_dim)
        q = self.rope(q, positions)
        k = self.rope(k, positions)
        group = self.heads // self.kv_heads
        out = np.zeros((length, self.heads, self.head_dim))
        causal = np.tril(np.ones((length, length), dtype=bool))
        for h in range(self.heads):
            kv = h // group
            scores = q[:, h, :] @ k[:, kv, :].T / np.sqrt(self.head_dim)
            scores = np.where(causal, scores, -np.inf)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = scores / scores.sum(axis=-1, keepdims=True)
            out[:, h, :] = weights @ v[:, kv, :]
        return out.reshape(length, self.dim) @ self.t[p + "attn_output.weight"].T

    def feed_forward(self, x, layer):
        p = f"blk.{layer}."
        gate = x @ self.t[p + "ffn_gate.weight"].T
        up = x @ self.t[p + "ffn_up.weight"].T
        return (gate / (1.0 + np.exp(-gate)) * up) @ self.t[p + "ffn_down.weight"].T

    def logits(self, ids):
        positions = np.arange(len(ids), dtype=np.float64)
        x = self.embedding[np.array(ids)]
        for layer in range(self.layers):
            p = f"blk.{layer}."
            x = x + self.attention(self.rms_norm(x, self.t[p + "attn_norm.weight"]), layer, positions)
            x = x + self.feed_forward(self.rms_norm(x, self.t[p + "ffn_norm.weight"]), layer)
        x = self.rms_norm(x, self.t["output_norm.weight"])
        return x @ self.classifier.T

    def generate_greedy(self, ids, new_tokens, eos):
        ids = list(ids)
        generated = []
        smallest_gap = float("inf")
        for _ in range(new_tokens):
            last = self.logits(ids)[-1]
            top_two = np.sort(last)[-2:]
            smallest_gap = min(smallest_gap, float(top_two[1] - top_two[0]))
            token = int(np.argmax(last))
            generated.append(token)
            ids.append(token)
            if token == eos:
                break
        return generated, smallest_gap


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(gguf_path, output_path):
    metadata, tensors = read_gguf(gguf_path)
    tokenizer = SentencePieceBpe(metadata)
    model = Llama(metadata, tensors)

    prompt_ids = [tokenizer.bos] + tokenizer.encode(PROMPT)
    last_logits = model.logits(prompt_ids)[-LOGIT_POSITIONS:]
    story_ids = [tokenizer.bos] + tokenizer.encode(STORY_PROMPT)
    eos = metadata["tokenizer.ggml.eos_token_id"]
    generated, smallest_gap = model.generate_greedy(story_ids, STORY_NEW_TOKENS, eos)
    if smallest_gap < 1e-3:
        raise RuntimeError(f"a greedy step has a near tie (top-2 gap {smallest_gap}), so float32 may pick "
                           "another token; choose another story prompt")

    fixture = {
        "model_file": gguf_path.rsplit("/", 1)[-1],
        "model_sha256": sha256_of(gguf_path),
        "prompt": PROMPT,
        "prompt_ids": prompt_ids,
        "logit_positions": list(range(len(prompt_ids) - LOGIT_POSITIONS, len(prompt_ids))),
        "logits": [[float("%.9g" % v) for v in row] for row in last_logits],
        "story_prompt": STORY_PROMPT,
        "story_prompt_ids": story_ids,
        "story_new_ids": generated,
        "story_text": tokenizer.decode(story_ids + generated),
        "story_smallest_top2_gap": smallest_gap,
        "tokenizer_cases": [{"text": text, "ids": tokenizer.encode(text)} for text in TOKENIZER_CASES],
    }
    with open(output_path, "w", encoding="utf-8") as handle:
        json.dump(fixture, handle, ensure_ascii=True, indent=1)
        handle.write("\n")
    print(fixture["story_text"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: reference_forward.py MODEL.gguf OUTPUT.json")
    main(sys.argv[1], sys.argv[2])
