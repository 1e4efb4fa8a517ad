package org.rlhf4j.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * Counts and digests with SHA-256 the bytes written through it to another channel.
 *
 * <p>{@link #close()} leaves the target open, because Arrow's writers close their channel and the
 * owner of the file must still force it to disk.
 */
final class DigestingChannel implements WritableByteChannel {

    private final WritableByteChannel target;
    private final MessageDigest digest = Sha256.newDigest();
    private long bytes;

    DigestingChannel(WritableByteChannel target) {
        this.target = target;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ByteBuffer written = source.duplicate();
        int count = target.write(source);
        written.limit(written.position() + count);
        digest.update(written);
        bytes += count;
        return count;
    }

    @Override
    public boolean isOpen() {
        return target.isOpen();
    }

    @Override
    public void close() {
        // The owner closes the target.
    }

    long bytes() {
        return bytes;
    }

    /** Returns the hex digest of everything written; call once, after the last write. */
    String sha256() {
        return Sha256.hex(digest);
    }
}
