/**
 * Arrow IPC cache of tokenized preference data sets.
 *
 * <p>{@link org.rlhf4j.cache.TokenizedPairCache} stores the {@code EncodeResult} of a data set under
 * a {@link org.rlhf4j.cache.CacheKey}: the data file's SHA-256, the data source and its read options,
 * the tokenizer's fingerprint, the chat template, the maximum length, the truncation mode and the
 * cache format version. A changed input gives another key, so a stale entry is never reused.
 *
 * <p>The Arrow file has one row per pair with the columns {@code id} (utf8), {@code chosen} and
 * {@code rejected} (list of int32 token ids), {@code magnitude} (float64) and {@code subset} (utf8,
 * nullable, stored plain without a dictionary), in record batches of up to 1024 rows. Its schema
 * metadata contains the key digest, the number of input pairs and the drop counts, so the file can
 * also be read with other Arrow libraries, for example {@code pyarrow.ipc.open_file}.
 */
package org.rlhf4j.cache;
