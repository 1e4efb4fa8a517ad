/**
 * The built-in data sources, one class per file format.
 *
 * <p>All JSON Lines sources read {@code .jsonl} and gzip-compressed {@code .jsonl.gz} files. They
 * share one reading policy, which {@link org.rlhf4j.api.data.ReadOptions} controls:
 * <ul>
 *   <li>Each non-blank line must be one JSON object in strict JSON syntax. A duplicate key, a
 *       top-level value that is not an object, invalid UTF-8 and an unpaired UTF-16 surrogate
 *       make the record malformed.</li>
 *   <li>Blank and whitespace-only lines are counted as blank and skipped. A UTF-8 byte order mark
 *       on line 1 is stripped, and a {@code \r} before each line break is removed.</li>
 *   <li>A required field that is missing, null or of the wrong type makes the record malformed;
 *       no default is filled in. Unknown fields are ignored.</li>
 *   <li>A numeric field must be written as a JSON integer literal: {@code 2.0}, {@code 2e0},
 *       {@code "2"} and {@code true} are rejected.</li>
 *   <li>A pair whose chosen and rejected texts are equal after Unicode NFC normalization and
 *       removal of {@code \r} is dropped and counted as {@code "identical"}.</li>
 *   <li>A line longer than {@link org.rlhf4j.api.data.ReadOptions#maxLineChars()} is skipped
 *       without being held in memory and counted as {@code "too-long"}.</li>
 * </ul>
 */
package org.rlhf4j.data.source;
