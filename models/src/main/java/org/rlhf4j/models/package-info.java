/**
 * Pretrained decoder models: GGUF loading ({@code gguf}), the SentencePiece tokenizer
 * ({@code tokenizer}), the Llama decoder written with DJL operators ({@code llama}) and reward
 * models built on it ({@code reward}).
 */
package org.rlhf4j.models;
