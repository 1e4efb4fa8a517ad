/**
 * Training checkpoints of the reward trainer: a directory per checkpoint with the model weights,
 * the AdamW moments, the learning-rate schedule, the batch-order seed, the data position and a
 * fingerprint of the training data, each file covered by a SHA-256 checksum. A run resumed from a
 * checkpoint continues bit for bit like the run that wrote it.
 */
package org.rlhf4j.algorithms.checkpoint;
