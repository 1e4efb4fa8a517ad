#!/usr/bin/env python3
"""PyTorch eager peer of rlhf4j's GenerationBenchmark: the same Llama generation, written in plain torch.

GenerationBenchmark starts this script once per run and sends it one request per line on stdin, so that
its measurements alternate with the Java ones under the same machine load. The script parses the GGUF
file itself, in float32 with the standard library and NumPy. It runs the decoder with torch operators in
eager mode under torch.no_grad() and generates as the Java Generator does. Prompts are padded on the
left, RoPE positions count real tokens only, and each forward pass computes logits at every position.
Each step then draws one token per sequence and computes its log-probability. With the KV cache each
step runs only the new column against the cached keys and values. Without it, each step runs the whole
sequence so far.

Protocol (one JSON object per line):

* on start, stdout gets {"ready": true, "torch": ..., "threads": ..., "interopThreads": ...}, or
  {"error": "..."} when torch or NumPy cannot be imported or the model cannot be read;
* each request on stdin, {"prompts": [[ids...], ...], "newTokens": n, "kvCache": bool,
  "temperature": t, "seed": s}, gets {"seconds": s, "tokens": [[ids...], ...]}, where seconds is the
  wall time of the generation alone; temperature 0 takes the argmax;
* end of input ends the script.

Run by hand, from the repository root:

    printf '%s\\n' '{"prompts": [[1, 403, 407]], "newTokens": 8, "kvCache": true, "temperature": 0, "seed": 1}' \\
        | OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 \\
        models/src/main/resources/org/rlhf4j/models/bench/generation_peer.py \\
        --model bundled/models/stories260K/stories260K.gguf --threads 1
"""

import argparse
import json
import struct
import sys
import time

GGUF_MAGIC = 0x46554747  # "GGUF" read as a little-endian uint32
SCALAR_FORMATS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
TYPE_STRING = 8
TYPE_ARRAY = 9
GGML_TYPES = {0: "<f4", 1: "<f2"}
MASKED_SCORE = -1e9  # the Java model's additive bias for hidden keys


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as missing:
    reply({"error": f"{missing} in {sys.executable}"})
    sys.exit(3)


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
    """Parses a GGUF file into (metadata dict, float32 torch tensors in reversed-GGUF-dimension shape)."""
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
        if ggml_type not in GGML_TYPES:
            raise ValueError(f"{path}: tensor {name} has GGML type {ggml_type}; only F32 and F16 are read")
        count = int(np.prod(dims))
        flat = np.frombuffer(data, dtype=GGML_TYPES[ggml_type], count=count, offset=data_start + offset)
        # The first GGUF dimension is the contiguous one, so the row-major shape is the reverse.
        array = flat.astype(np.float32).reshape(list(reversed(dims)))
        tensors[name] = torch.from_numpy(array.copy())
    return metadata, tensors


class KvCache:
    """Keys (after RoPE) and values of every block, shape [B, T, kv_heads, head_dim], and the mask so far."""

    def __init__(self, blocks):
        self.keys = [None] * blocks
        self.values = [None] * blocks
        self.mask = None

    def length(self):
        return 0 if self.mask is None else self.mask.shape[1]


class Llama:
    """The Llama decoder: RMSNorm, grouped-query attention with RoPE, SwiGLU feed-forward."""

    def __init__(self, metadata, tensors):
        self.t = tensors
        self.dim = metadata["llama.embedding_length"]
        self.blocks = metadata["llama.block_count"]
        self.heads = metadata["llama.attention.head_count"]
        self.kv_heads = metadata.get("llama.attention.head_count_kv", self.heads)
        self.group = self.heads // self.kv_heads
        self.eps = metadata["llama.attention.layer_norm_rms_epsilon"]
        self.head_dim = self.dim // self.heads
        self.rope_dim = metadata.get("llama.rope.dimension_count", self.head_dim)
        base = metadata.get("llama.rope.freq_base", 10000.0)
        half = self.rope_dim // 2
        self.frequencies = base ** (-2.0 * torch.arange(half, dtype=torch.float64) / self.rope_dim)
        self.embedding = tensors["token_embd.weight"]
        self.classifier = tensors.get("output.weight", self.embedding)
        self.scale = 1.0 / self.head_dim ** 0.5

    def rms_norm(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    def rotate(self, x, cos, sin):
        # x: [B, T, heads, head_dim]; pair (2i, 2i+1) of the first rope_dim entries turns by angle i.
        rotated = x[..., :self.rope_dim].reshape(*x.shape[:3], self.rope_dim // 2, 2)
        even, odd = rotated[..., 0], rotated[..., 1]
        pairs = torch.stack((even * cos - odd * sin, even * sin + odd * cos), -1).flatten(-2)
        return torch.cat((pairs, x[..., self.rope_dim:]), -1) if self.rope_dim < self.head_dim else pairs

    def logits(self, ids, mask, cache=None):
        """Returns logits [B, T, vocab] of the new ids; with a cache, appends their keys, values and mask."""
        batch, length = ids.shape
        past = 0 if cache is None else cache.length()
        full_mask = mask if past == 0 else torch.cat((cache.mask, mask), 1)
        positions = (full_mask.cumsum(1) - 1).clamp(min=0)[:, past:].to(torch.float64)
        angles = positions[:, :, None, None] * self.frequencies
        cos = angles.cos().to(torch.float32)
        sin = angles.sin().to(torch.float32)
        keys_length = full_mask.shape[1]
        causal = torch.arange(keys_length)[None, :] <= torch.arange(past, keys_length)[:, None]
        allowed = (full_mask > 0)[:, None, None, None, :] & causal
        bias = (allowed.to(torch.float32) - 1.0) * -MASKED_SCORE

        x = F.embedding(ids, self.embedding)
        for block in range(self.blocks):
            p = f"blk.{block}."
            h = self.rms_norm(x, self.t[p + "attn_norm.weight"])
            q = self.rotate(F.linear(h, self.t[p + "attn_q.weight"]).view(batch, length, self.heads, -1), cos, sin)
            k = self.rotate(F.linear(h, self.t[p + "attn_k.weight"]).view(batch, length, self.kv_heads, -1),
                            cos, sin)
            v = F.linear(h, self.t[p + "attn_v.weight"]).view(batch, length, self.kv_heads, -1)
            if cache is not None:
                if cache.keys[block] is not None:
                    k = torch.cat((cache.keys[block], k), 1)
                    v = torch.cat((cache.values[block], v), 1)
                cache.keys[block] = k
                cache.values[block] = v
            # Query head h = kv * group + g uses key/value head kv; matmul broadcasts keys over the group.
            queries = q.view(batch, length, self.kv_heads, self.group, -1).permute(0, 2, 3, 1, 4)
            keys = k.permute(0, 2, 3, 1).unsqueeze(2)
            values = v.permute(0, 2, 1, 3).unsqueeze(2)
            scores = torch.matmul(queries, keys) * self.scale + bias
            mixed = torch.matmul(torch.softmax(scores, -1), values)
            heads = mixed.permute(0, 3, 1, 2, 4).reshape(batch, length, self.dim)
            x = x + F.linear(heads, self.t[p + "attn_output.weight"])
            h = self.rms_norm(x, self.t[p + "ffn_norm.weight"])
            gated = F.silu(F.linear(h, self.t[p + "ffn_gate.weight"])) * F.linear(h, self.t[p + "ffn_up.weight"])
            x = x + F.linear(gated, self.t[p + "ffn_down.weight"])
        if cache is not None:
            cache.mask = full_mask
        return F.linear(self.rms_norm(x, self.t["output_norm.weight"]), self.classifier)


def draw(last, temperature, generator):
    """Draws one token per row of last-position logits and returns (tokens, their log-probabilities)."""
    if temperature == 0:
        tokens = last.argmax(-1)
    else:
        probabilities = torch.softmax(last / temperature, -1)
        tokens = torch.multinomial(probabilities, 1, generator=generator).squeeze(1)
    log_probs = torch.log_softmax(last, -1).gather(1, tokens[:, None]).squeeze(1)
    return tokens, log_probs


def generate(model, prompts, new_tokens, kv_cache, temperature, seed):
    """Generates exactly new_tokens tokens per prompt (no end-of-sequence stop); returns ids [B, new_tokens]."""
    width = max(len(prompt) for prompt in prompts)
    ids = torch.zeros((len(prompts), width), dtype=torch.int64)
    mask = torch.zeros((len(prompts), width), dtype=torch.int64)
    for row, prompt in enumerate(prompts):
        ids[row, width - len(prompt):] = torch.tensor(prompt, dtype=torch.int64)
        mask[row, width - len(prompt):] = 1
    generator = torch.Generator().manual_seed(seed)
    cache = KvCache(model.blocks) if kv_cache else None
    logits = model.logits(ids, mask, cache)
    column_mask = torch.ones((len(prompts), 1), dtype=torch.int64)
    tokens = []
    log_probs = []
    for step in range(new_tokens):
        token, log_prob = draw(logits[:, -1], temperature, generator)
        tokens.append(token)
        log_probs.append(log_prob)
        if step == new_tokens - 1:
            break
        if kv_cache:
            logits = model.logits(token[:, None], column_mask, cache)
        else:
            ids = torch.cat((ids, token[:, None]), 1)
            mask = torch.cat((mask, column_mask), 1)
            logits = model.logits(ids, mask)
    return torch.stack(tokens, 1), torch.stack(log_probs, 1)


def serve(model):
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        with torch.no_grad():
            start = time.perf_counter()
            tokens, _ = generate(model, request["prompts"], request["newTokens"], request["kvCache"],
                                 request["temperature"], request["seed"])
            seconds = time.perf_counter() - start
        reply({"seconds": seconds, "tokens": tokens.tolist()})


def main():
    parser = argparse.ArgumentParser(description="PyTorch eager peer of GenerationBenchmark")
    parser.add_argument("--model", required=True, help="Llama GGUF file with F32 or F16 tensors")
    parser.add_argument("--threads", type=int, default=0, help="intra-op and inter-op threads; 0 keeps torch's")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
        torch.set_num_interop_threads(args.threads)
    try:
        model = Llama(*read_gguf(args.model))
    except (OSError, ValueError, KeyError) as failure:
        reply({"error": f"cannot read the model {args.model}: {failure}"})
        sys.exit(3)
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
           "interopThreads": torch.get_num_interop_threads()})
    serve(model)


if __name__ == "__main__":
    main()
