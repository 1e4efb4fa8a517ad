package org.rlhf4j.algorithms.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.models.io.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training checkpoint on disk: one directory named {@code step-NNNNNN} under a checkpoint root,
 * containing
 *
 * <ul>
 *   <li>{@code model.safetensors}: every model parameter by name;
 *   <li>{@code optimizer.safetensors}: the AdamW moments, named {@code <parameter>.exp_avg} and
 *       {@code <parameter>.exp_avg_sq};
 *   <li>{@code manifest.json}: the {@link CheckpointManifest} (step, schedule, batch-order seed, data
 *       position and fingerprint, trainer settings) and the size and SHA-256 of both tensor files;
 *   <li>{@code manifest.json.sha256}: the SHA-256 of {@code manifest.json}, in {@code sha256sum}
 *       format.
 * </ul>
 *
 * <p>{@link #write} creates the files in a temporary directory beside the target, flushes each
 * file and the directory to disk, renames the directory into place and flushes the root, so a
 * {@code step-NNNNNN} directory is always complete. {@link #open} checks every file against its
 * recorded size and SHA-256 and rejects a corrupt or truncated checkpoint with a
 * {@link CorruptCheckpointException} that names the file. One writer per root is assumed: pruning
 * deletes leftover temporary directories of any earlier writer.
 */
public final class TrainingCheckpoint {

    /** Name of the manifest file. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** Name of the file with the SHA-256 of the manifest. */
    public static final String MANIFEST_CHECKSUM_FILE = "manifest.json.sha256";
    /** Name of the model weights file. */
    public static final String MODEL_FILE = ManifestJson.MODEL_FILE;
    /** Name of the optimizer state file. */
    public static final String OPTIMIZER_FILE = ManifestJson.OPTIMIZER_FILE;

    private static final Logger logger = LoggerFactory.getLogger(TrainingCheckpoint.class);
    private static final Pattern STEP_DIRECTORY = Pattern.compile("step-(\\d+)");
    private static final String TEMPORARY_PREFIX = ".step-";

    private final Path directory;
    private final CheckpointManifest manifest;
    private final Map<String, FileDigest> files;

    private TrainingCheckpoint(Path directory, CheckpointManifest manifest, Map<String, FileDigest> files) {
        this.directory = directory;
        this.manifest = manifest;
        this.files = Collections.unmodifiableMap(files);
    }

    /**
     * Returns the directory name of the checkpoint of a step.
     *
     * @param step the optimizer step, at least 0
     * @return {@code step-} and the step with at least six digits, such as {@code step-000123}
     */
    public static String directoryName(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return String.format(Locale.ROOT, "step-%06d", step);
    }

    /**
     * Writes a checkpoint atomically to {@code root/step-NNNNNN}, replacing an existing checkpoint
     * of the same step, and then deletes all but the newest {@code keepLast} checkpoints of the root.
     *
     * @param root the checkpoint root; created when missing
     * @param manifest the training state
     * @param weights the model parameters by name; only read
     * @param optimizerState the AdamW moments by name, as {@code AdamW.state()} returns them; only read
     * @param keepLast how many checkpoints to keep, at least 1
     * @return the written checkpoint
     * @throws IOException when writing fails; the root then contains no partial {@code step-} directory
     */
    public static TrainingCheckpoint write(Path root, CheckpointManifest manifest, Map<String, NDArray> weights,
            Map<String, NDArray> optimizerState, int keepLast) throws IOException {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Files.createDirectories(absoluteRoot);
        String name = directoryName(manifest.step());
        Path temporary = Files.createTempDirectory(absoluteRoot, "." + name + ".tmp-");
        try {
            Map<String, FileDigest> files = new LinkedHashMap<>();
            files.put(MODEL_FILE, Safetensors.write(temporary.resolve(MODEL_FILE), weights));
            files.put(OPTIMIZER_FILE, Safetensors.write(temporary.resolve(OPTIMIZER_FILE), optimizerState));
            String json = ManifestJson.toJson(manifest, files);
            DurableFiles.writeDurably(temporary.resolve(MANIFEST_FILE), json);
            DurableFiles.writeDurably(temporary.resolve(MANIFEST_CHECKSUM_FILE),
                    DurableFiles.sha256(json.getBytes(StandardCharsets.UTF_8)) + "  " + MANIFEST_FILE + "\n");
            DurableFiles.fsync(temporary);
            Path target = absoluteRoot.resolve(name);
            DurableFiles.replaceDirectory(temporary, target);
            prune(absoluteRoot, keepLast);
            return new TrainingCheckpoint(target, manifest, files);
        } catch (IOException | RuntimeException e) {
            DurableFiles.deleteRecursively(temporary);
            throw e;
        }
    }

    /**
     * Opens a checkpoint directory after checking the manifest and both tensor files against their
     * recorded sizes and SHA-256 checksums.
     *
     * @param directory a {@code step-NNNNNN} directory
     * @return the checkpoint
     * @throws CorruptCheckpointException when a file is missing, truncated, fails its checksum or
     *     cannot be parsed; the message names the file and the mismatch
     * @throws IOException when reading fails
     */
    public static TrainingCheckpoint open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Path manifestFile = dir.resolve(MANIFEST_FILE);
        byte[] manifestBytes = readRequired(manifestFile);
        verifyManifestChecksum(dir, manifestFile, manifestBytes);
        ManifestJson.Parsed parsed =
                ManifestJson.parse(manifestFile, new String(manifestBytes, StandardCharsets.UTF_8));
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(dir, parsed.manifest(), parsed.files());
        for (String file : parsed.files().keySet()) {
            checkpoint.verify(file);
        }
        return checkpoint;
    }

    private static byte[] readRequired(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CorruptCheckpointException(file, "is missing");
        }
        return Files.readAllBytes(file);
    }

    private static void verifyManifestChecksum(Path dir, Path manifestFile, byte[] manifestBytes) throws IOException {
        Path checksumFile = dir.resolve(MANIFEST_CHECKSUM_FILE);
        String line = new String(readRequired(checksumFile), StandardCharsets.UTF_8).trim();
        String recorded = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (!recorded.matches("[0-9a-f]{64}")) {
            throw new CorruptCheckpointException(checksumFile, "does not start with a SHA-256 in hex: '" + line + "'");
        }
        String actual = DurableFiles.sha256(manifestBytes);
        if (!actual.equals(recorded)) {
            throw new CorruptCheckpointException(manifestFile, "is corrupt: its SHA-256 is " + actual + " but "
                    + MANIFEST_CHECKSUM_FILE + " records " + recorded);
        }
    }

    /** Checks one tensor file against the size and SHA-256 recorded in the manifest. */
    private void verify(String name) throws IOException {
        Path file = directory.resolve(name);
        FileDigest expected = files.get(name);
        if (!Files.isRegularFile(file)) {
            throw new CorruptCheckpointException(file, "is missing");
        }
        long size = Files.size(file);
        if (size < expected.bytes()) {
            throw new CorruptCheckpointException(file, "is truncated: it has " + size + " bytes but "
                    + MANIFEST_FILE + " records " + expected.bytes());
        }
        if (size > expected.bytes()) {
            throw new CorruptCheckpointException(file, "has " + size + " bytes but " + MANIFEST_FILE + " records "
                    + expected.bytes());
        }
        String actual = DurableFiles.sha256(file);
        if (!actual.equals(expected.sha256())) {
            throw new CorruptCheckpointException(file, "is corrupt: its SHA-256 is " + actual + " but "
                    + MANIFEST_FILE + " records " + expected.sha256());
        }
    }

    /**
     * Lists the checkpoint directories of a root, oldest step first. Temporary directories of an
     * unfinished write are not listed.
     *
     * @param root the checkpoint root
     * @return the {@code step-NNNNNN} directories, or an empty list when the root does not exist
     * @throws IOException when the root cannot be read
     */
    public static List<Path> list(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> directories = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(child -> Files.isDirectory(child) && stepOf(child) >= 0).forEach(directories::add);
        }
        directories.sort(Comparator.comparingLong(TrainingCheckpoint::stepOf));
        return directories;
    }

    /**
     * Finds the checkpoint with the highest step in a root. It is not opened, so a corrupt latest
     * checkpoint is reported by {@link #open} and never skipped silently.
     *
     * @param root the checkpoint root
     * @return the latest {@code step-NNNNNN} directory, or empty when there is none
     * @throws IOException when the root cannot be read
     */
    public static Optional<Path> latest(Path root) throws IOException {
        List<Path> directories = list(root);
        return directories.isEmpty() ? Optional.empty() : Optional.of(directories.get(directories.size() - 1));
    }

    /**
     * Resolves a path to a checkpoint directory: the path itself when it contains
     * {@value #MANIFEST_FILE} or is named {@code step-NNNNNN}, or else the latest checkpoint under it.
     *
     * @param path a checkpoint directory or a checkpoint root
     * @return the checkpoint directory
     * @throws IllegalArgumentException when the path does not exist or contains no checkpoint
     * @throws IOException when the directory cannot be read
     */
    public static Path resolve(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("Checkpoint folder " + path + " does not exist");
        }
        if (Files.exists(path.resolve(MANIFEST_FILE)) || stepOf(path) >= 0) {
            return path;
        }
        return latest(path).orElseThrow(() -> new IllegalArgumentException("No checkpoint found in " + path
                + ": expected a folder with " + MANIFEST_FILE + " or step-NNNNNN folders inside it"));
    }

    /**
     * Deletes all but the newest {@code keepLast} checkpoints of a root, and leftover temporary
     * directories of interrupted writes.
     *
     * @param root the checkpoint root
     * @param keepLast how many checkpoints to keep, at least 1
     * @throws IOException when a directory cannot be deleted
     */
    public static void prune(Path root, int keepLast) throws IOException {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> directories = list(root);
        for (Path old : directories.subList(0, Math.max(0, directories.size() - keepLast))) {
            DurableFiles.deleteRecursively(old);
            logger.debug("Deleted old checkpoint {}", old);
        }
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(child -> child.getFileName().toString().startsWith(TEMPORARY_PREFIX))
                    .forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            DurableFiles.deleteRecursively(leftover);
            logger.debug("Deleted leftover temporary checkpoint directory {}", leftover);
        }
    }

    /** Returns the step of a {@code step-NNNNNN} directory name, or -1 for any other name. */
    private static long stepOf(Path directory) {
        Path name = directory.getFileName();
        Matcher matcher = name == null ? null : STEP_DIRECTORY.matcher(name.toString());
        if (matcher == null || !matcher.matches() || matcher.group(1).length() > 18) {
            return -1;
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Returns the checkpoint directory. */
    public Path directory() {
        return directory;
    }

    /** Returns the training state recorded in the manifest. */
    public CheckpointManifest manifest() {
        return manifest;
    }

    /** Returns the recorded size and SHA-256 of each tensor file, by file name. */
    public Map<String, FileDigest> files() {
        return files;
    }

    /**
     * Reads the model weights, checking the file against its checksum again first.
     *
     * @param manager the manager that receives the CPU arrays
     * @return the parameters by name, in the order they were written
     * @throws IOException when the file changed since {@link #open} or cannot be read
     */
    public Map<String, NDArray> readWeights(NDManager manager) throws IOException {
        return readTensors(MODEL_FILE, manager);
    }

    /**
     * Reads the AdamW moments, checking the file against its checksum again first.
     *
     * @param manager the manager that receives the CPU arrays
     * @return the moments by the names of {@code AdamW.state()}
     * @throws IOException when the file changed since {@link #open} or cannot be read
     */
    public Map<String, NDArray> readOptimizerState(NDManager manager) throws IOException {
        return readTensors(OPTIMIZER_FILE, manager);
    }

    private Map<String, NDArray> readTensors(String name, NDManager manager) throws IOException {
        verify(name);
        return Safetensors.read(directory.resolve(name), Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Restores the saved model weights and AdamW state into live arrays, bit for bit, after checking
     * that every tensor name, shape and data type matches. Nothing is copied when a check fails.
     *
     * @param parameters the live model parameters by name, changed in place
     * @param optimizer the optimizer of those parameters; its moments and step count are replaced
     * @throws IllegalArgumentException when a tensor is missing, extra, or has another shape or type
     * @throws IOException when a file changed since {@link #open} or cannot be read
     */
    public void restore(Map<String, NDArray> parameters, AdamW optimizer) throws IOException {
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> weights = readWeights(scratch);
            Map<String, NDArray> moments = readOptimizerState(scratch);
            TensorCopies.requireMatching(directory, "model parameter", weights, parameters);
            TensorCopies.requireMatching(directory, "optimizer state", moments, optimizer.state());
            weights.forEach((name, saved) -> TensorCopies.copyExactly(saved, parameters.get(name)));
            optimizer.loadState(moments, manifest.step());
            // loadState adds to zeroed arrays, which turns a saved -0.0 into +0.0, so the bits are copied too.
            optimizer.state().forEach((name, live) -> TensorCopies.copyExactly(moments.get(name), live));
        }
    }

    /**
     * Checks that a run with the given settings continues this checkpoint's run exactly: the
     * schedule must be the same, and so must every trainer setting except {@code log_every}.
     *
     * @param config the settings of the resuming trainer
     * @param schedule the schedule the resuming trainer computes for this checkpoint's data size
     * @throws IllegalArgumentException naming the first key that differs, with both values
     */
    public void requireResumableWith(RewardTrainerConfig config, LearningRateSchedule schedule) {
        requireSame("the learning-rate schedule differs", "scheduler.",
                ManifestJson.scheduleSettings(manifest.schedule()), ManifestJson.scheduleSettings(schedule));
        Map<String, Object> saved = ManifestJson.settings(manifest.config());
        Map<String, Object> current = ManifestJson.settings(config);
        saved.remove("log_every");
        current.remove("log_every");
        requireSame("a trainer setting differs", "trainer_config.", saved, current);
    }

    private void requireSame(String what, String prefix, Map<String, Object> saved, Map<String, Object> current) {
        for (Map.Entry<String, Object> entry : saved.entrySet()) {
            Object now = current.get(entry.getKey());
            if (!entry.getValue().equals(now)) {
                throw new IllegalArgumentException("Cannot resume from " + directory + ": " + what + " in "
                        + prefix + entry.getKey() + " (" + entry.getValue() + " in the checkpoint, " + now
                        + " in this run)");
            }
        }
    }

    /**
     * Checks that a run trains on the same pairs as this checkpoint's run.
     *
     * @param data the fingerprint of the resuming run's pairs
     * @throws IllegalArgumentException when the count or the SHA-256 differs, with both fingerprints
     */
    public void requireSameData(DataFingerprint data) {
        if (!manifest.data().equals(data)) {
            throw new IllegalArgumentException("Cannot resume from " + directory + ": the training data differs ("
                    + describe(manifest.data()) + " in the checkpoint, " + describe(data) + " in this run)");
        }
    }

    private static String describe(DataFingerprint data) {
        return data.pairs() + " pairs with SHA-256 " + data.sha256();
    }

    @Override
    public String toString() {
        return "TrainingCheckpoint[" + directory + ", step " + manifest.step() + "]";
    }
}
