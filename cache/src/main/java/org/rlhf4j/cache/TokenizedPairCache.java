package org.rlhf4j.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the encoded pairs of data sets in Arrow IPC files, so that a data set is tokenized once
 * and reloaded afterwards.
 *
 * <p>Each entry is two files in the cache folder, named by {@link CacheKey#sha256()}:
 * {@code <sha256>.arrow} with the pairs (layout in the package documentation) and
 * {@code <sha256>.json}, a sidecar with the key in readable form, the Arrow file's size and SHA-256,
 * and the pair counts. An entry is written atomically: each file goes to a temporary file in the
 * same folder, is forced to disk and renamed into place, the sidecar last, so a reader never sees
 * part of a file. An entry whose sidecar is missing, unreadable or describes another key, or whose
 * Arrow file has another size or checksum, is logged at WARN with its path, deleted and treated as
 * a miss.
 *
 * <pre>{@code
 * TokenizedPairCache cache = TokenizedPairCache.inDefaultDirectory();
 * CacheKey key = CacheKey.builder().dataFile(file).dataSource("hh-rlhf", options)
 *         .tokenizer(tokenizer).chatTemplate(template).encoder(encoder).build();
 * EncodeResult pairs = cache.getOrCompute(key, () -> encodeFile(file, options, encoder));
 * }</pre>
 *
 * <p>Instances contain no state other than the folder and may be shared between threads. Two
 * callers that miss the same key at the same time both compute and write it, and the last rename
 * wins. A reader that finds the Arrow file of one writer and the sidecar of the other gets a
 * checksum mismatch, so it deletes the entry and computes it again. Reading and writing need
 * {@code --add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED}.
 *
 * <p>NOTE: a process killed while writing leaves a {@code <sha256>.*.tmp} file in the folder. The
 * cache never reads or removes such files; they are safe to delete by hand.
 */
public final class TokenizedPairCache {

    private static final Logger logger = LoggerFactory.getLogger(TokenizedPairCache.class);

    private static final String ARROW_SUFFIX = ".arrow";
    private static final String SIDECAR_SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;

    private TokenizedPairCache(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates a cache in a folder, which is created on the first write.
     *
     * @param directory the cache folder
     * @return the cache
     */
    public static TokenizedPairCache in(Path directory) {
        return new TokenizedPairCache(Objects.requireNonNull(directory, "directory").toAbsolutePath());
    }

    /**
     * Creates a cache in {@link #defaultDirectory()}.
     *
     * @return the cache
     */
    public static TokenizedPairCache inDefaultDirectory() {
        return in(defaultDirectory());
    }

    /**
     * Returns the default cache folder, {@code ~/.cache/rlhf4j/tokenized} under the {@code user.home}
     * system property.
     *
     * @return the folder
     */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "rlhf4j", "tokenized");
    }

    /** Returns the cache folder. */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the path of the Arrow file of an entry, whether or not it exists.
     *
     * @param key the entry's key
     * @return {@code <directory>/<key sha256>.arrow}
     */
    public Path arrowFile(CacheKey key) {
        return directory.resolve(key.sha256() + ARROW_SUFFIX);
    }

    /**
     * Returns the path of the JSON sidecar of an entry, whether or not it exists.
     *
     * @param key the entry's key
     * @return {@code <directory>/<key sha256>.json}
     */
    public Path sidecarFile(CacheKey key) {
        return directory.resolve(key.sha256() + SIDECAR_SUFFIX);
    }

    /**
     * Returns the cached result for a key, or computes, stores and returns it.
     *
     * <p>The cache never makes this method fail: an entry that cannot be read is recomputed, and a
     * result that cannot be written is returned anyway, both with a WARN line. Only the supplier's
     * exceptions and a missing {@code --add-opens} flag propagate.
     *
     * @param key the key of the data set and its encoding
     * @param compute reads and encodes the data set; called only on a miss
     * @return the cached or computed result
     * @throws IllegalStateException when Java does not let Arrow access its buffers; the message
     *     names the flag to add
     */
    public EncodeResult getOrCompute(CacheKey key, Supplier<EncodeResult> compute) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(compute, "compute");
        Optional<EncodeResult> cached = loadOrEmpty(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        EncodeResult result = Objects.requireNonNull(compute.get(), "the supplier returned null");
        try {
            store(key, result);
        } catch (IOException e) {
            logger.warn("Could not write cache file {}; continuing without it: {}", arrowFile(key), e.toString());
        }
        return result;
    }

    private Optional<EncodeResult> loadOrEmpty(CacheKey key) {
        try {
            return load(key);
        } catch (IOException e) {
            logger.warn("Could not read cache file {}; tokenizing again: {}", arrowFile(key), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Reads the entry of a key after checking its checksum.
     *
     * @param key the entry's key
     * @return the stored result, or empty when there is no entry or it was corrupt; a corrupt entry
     *     is logged at WARN and deleted
     * @throws IOException when an existing file cannot be read or deleted
     */
    public Optional<EncodeResult> load(CacheKey key) throws IOException {
        Path arrow = arrowFile(key);
        Path sidecar = sidecarFile(key);
        if (!Files.exists(sidecar)) {
            if (Files.exists(arrow)) {
                logger.warn("Cache file {} has no sidecar {}, as after an interrupted write; deleting it", arrow,
                        sidecar);
                Files.deleteIfExists(arrow);
            } else {
                logger.debug("No cache entry {} for data {}", key.sha256(), key.dataSha256());
            }
            return Optional.empty();
        }
        try {
            EncodeResult result = read(key, arrow, sidecar);
            logger.info("Loaded {} tokenized pairs from cache file {}", result.pairs().size(), arrow);
            return Optional.of(result);
        } catch (CorruptCacheException e) {
            logger.warn("Cache file {} is corrupt, deleting it and its sidecar: {}", arrow, e.getMessage());
            delete(key);
            return Optional.empty();
        }
    }

    private static EncodeResult read(CacheKey key, Path arrow, Path sidecarPath)
            throws IOException, CorruptCacheException {
        CacheSidecar sidecar = CacheSidecar.read(sidecarPath);
        sidecar.checkKey(key, arrow.getFileName().toString());
        try (FileChannel channel = FileChannel.open(arrow, StandardOpenOption.READ)) {
            long bytes = channel.size();
            if (bytes != sidecar.arrowBytes()) {
                throw new CorruptCacheException("size " + bytes + " bytes, the sidecar records "
                        + sidecar.arrowBytes());
            }
            String sha256 = Sha256.ofChannel(channel);
            if (!sha256.equals(sidecar.arrowSha256())) {
                throw new CorruptCacheException("SHA-256 " + sha256 + ", the sidecar records " + sidecar.arrowSha256());
            }
            EncodeResult result = PairArrowFormat.read(channel, key.sha256());
            sidecar.checkCounts(result);
            return result;
        } catch (NoSuchFileException e) {
            throw new CorruptCacheException("the Arrow file is missing", e);
        }
    }

    /**
     * Writes the entry of a key, replacing an existing one.
     *
     * @param key the entry's key
     * @param result the result to store
     * @throws IOException when the folder or a file cannot be written
     * @throws IllegalStateException when Java does not let Arrow access its buffers; the message
     *     names the flag to add
     */
    public void store(CacheKey key, EncodeResult result) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
        Files.createDirectories(directory);
        Path arrow = arrowFile(key);
        Path sidecar = sidecarFile(key);
        // An old sidecar next to the new Arrow file would fail the checksum, so it goes first.
        Files.deleteIfExists(sidecar);
        Path temp = Files.createTempFile(directory, key.sha256() + ".", ARROW_SUFFIX + TEMP_SUFFIX);
        try {
            DigestingChannel written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                written = new DigestingChannel(channel);
                PairArrowFormat.write(result, key.sha256(), written);
                channel.force(true);
            }
            Files.move(temp, arrow, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writeAtomically(sidecar, CacheSidecar.of(key, arrow, written, result).toJson());
            syncDirectory();
            logger.info("Wrote {} tokenized pairs to cache file {} ({} bytes)", result.pairs().size(), arrow,
                    written.bytes());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes the entry of a key.
     *
     * @param key the entry's key
     * @return whether a file was deleted
     * @throws IOException when a file exists but cannot be deleted
     */
    public boolean delete(CacheKey key) throws IOException {
        boolean sidecar = Files.deleteIfExists(sidecarFile(key));
        boolean arrow = Files.deleteIfExists(arrowFile(key));
        return sidecar || arrow;
    }

    private void writeAtomically(Path target, String text) throws IOException {
        Path temp = Files.createTempFile(directory, target.getFileName().toString() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(text));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Forces the folder's entries to disk, so that the renames survive a crash, where the platform allows it. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder as a channel. The renames stay atomic, only less durable.
            logger.debug("Could not force folder {} to disk: {}", directory, e.toString());
        }
    }
}
