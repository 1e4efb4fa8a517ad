package org.rlhf4j.hardware;

/** Per-GPU memory of one role under one layout; see {@link RolePlacement} for the fields. */
record RoleCost(
        Parallelism parallelism, long weightBytes, long gradientBytes, long optimizerBytes, long activationBytes,
        long kvCacheBytes) {

    long stateBytes() {
        return weightBytes + gradientBytes + optimizerBytes;
    }

    long workingBytes() {
        return Math.max(activationBytes, kvCacheBytes);
    }

    long totalBytes() {
        return stateBytes() + workingBytes();
    }
}
