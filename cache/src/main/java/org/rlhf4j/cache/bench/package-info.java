/** Benchmark of the tokenized-pair cache: reload from Arrow against read + tokenize. */
package org.rlhf4j.cache.bench;
