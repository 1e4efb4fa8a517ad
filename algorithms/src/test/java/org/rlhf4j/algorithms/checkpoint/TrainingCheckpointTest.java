package org.rlhf4j.algorithms.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.StepMetrics;
import org.rlhf4j.algorithms.toy.SoftplusBtLoss;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.algorithms.toy.ToyRewardModel;

/**
 * Checkpoints of the toy reward model: exact resume, the recorded state, retention, and rejection
 * of corrupt files, other data and other settings.
 */
class TrainingCheckpointTest {

    private static final long MODEL_SEED = 17;

    @TempDir
    Path root;

    /** LR for step k is 1e-3 * min(1, k / 10); 64 pairs of 16 per step give 4 steps per epoch. */
    private static RewardTrainerConfig.Builder warmupConfig() {
        return RewardTrainerConfig.builder()
                .learningRate(1e-3)
                .warmupSteps(10)
                .schedule(LearningRateSchedule.Kind.CONSTANT)
                .globalBatchPairs(16)
                .microBatchPairs(4)
                .maxGradNorm(1.0)
                .seed(1)
                .logEvery(100)
                .maxSteps(10);
    }

    private static List<EncodedPair> pairs() {
        return ToyData.encoded(64, 16);
    }

    /** Trains the first {@code steps} steps of the 10-step run and writes a checkpoint after the last. */
    private Map<String, int[]> trainAndCheckpoint(long steps) {
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.checkpointEvery(100, root).train(pairs(), steps);
            Map<String, int[]> moments = new LinkedHashMap<>();
            trainer.optimizer().state().forEach((name, array) -> moments.put(name, bits(array.toFloatArray())));
            return moments;
        }
    }

    private static Map<String, int[]> bitsOf(ToyRewardModel model) {
        Map<String, int[]> bits = new LinkedHashMap<>();
        model.snapshot().forEach((name, values) -> bits.put(name, bits(values)));
        return bits;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static void assertSameBits(Map<String, int[]> actual, Map<String, int[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private Path stepDirectory(long step) {
        return root.resolve(TrainingCheckpoint.directoryName(step));
    }

    @Test
    void resumedStepUsesWarmupRate() throws IOException {
        // K12: a run stopped after step 5 must resume at 1e-3 * 6 / 10, not restart the warm-up at 1e-4.
        trainAndCheckpoint(5);
        List<StepMetrics> steps = new ArrayList<>();
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.resumeFrom(root);
            trainer.addListener(steps::add);
            trainer.train(pairs());
        }

        assertThat(steps).hasSize(5);
        assertThat(steps.get(0).step()).isEqualTo(6);
        assertThat(steps.get(0).learningRate()).isCloseTo(6.0e-4, within(1e-15));
        assertThat(steps.get(4).learningRate()).isCloseTo(1.0e-3, within(1e-15));
    }

    @Test
    void restoredMomentsEqualSavedBits() throws IOException {
        Map<String, int[]> saved = trainAndCheckpoint(5);
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.resumeFrom(root);

            Map<String, int[]> restored = new LinkedHashMap<>();
            trainer.optimizer().state().forEach((name, array) -> restored.put(name, bits(array.toFloatArray())));
            assertThat(trainer.completedSteps()).isEqualTo(5);
            assertThat(trainer.optimizer().stepCount()).isEqualTo(5);
            assertSameBits(restored, saved);
        }
    }

    @Test
    void fivePlusFiveEqualsTenStraightSteps() throws IOException {
        Map<String, int[]> straight;
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.train(pairs());
            straight = bitsOf(model);
        }
        trainAndCheckpoint(5);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.resumeFrom(root);
            trainer.train(pairs());

            assertThat(trainer.completedSteps()).isEqualTo(10);
            assertSameBits(bitsOf(model), straight);
        }
    }

    @Test
    void manifestRecordsTrainingState() throws Exception {
        trainAndCheckpoint(5);

        TrainingCheckpoint checkpoint = TrainingCheckpoint.open(stepDirectory(5));
        CheckpointManifest manifest = checkpoint.manifest();
        assertThat(manifest.step()).isEqualTo(5);
        assertThat(manifest.learningRate()).isCloseTo(5.0e-4, within(1e-15));
        assertThat(manifest.schedule()).isEqualTo(new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT,
                1e-3, 10, 10, 0.0));
        // Step 5 is the first step of epoch 2 (0-based 1), so the next step reads micro batch 4 of it.
        assertThat(manifest.position()).isEqualTo(new DataPosition(1, 4, 4, 16));
        assertThat(manifest.rng()).isEqualTo(RngState.batchOrder(1, 1));
        assertThat(manifest.data()).isEqualTo(DataFingerprint.of(pairs()));
        assertThat(manifest.data().pairs()).isEqualTo(64);
        assertThat(manifest.config()).isEqualTo(warmupConfig().build());
        Path model = stepDirectory(5).resolve(TrainingCheckpoint.MODEL_FILE);
        assertThat(checkpoint.files().get(TrainingCheckpoint.MODEL_FILE).sha256()).isEqualTo(sha256(model));
        assertThat(checkpoint.files().get(TrainingCheckpoint.MODEL_FILE).bytes()).isEqualTo(Files.size(model));
        String manifestSha = sha256(stepDirectory(5).resolve(TrainingCheckpoint.MANIFEST_FILE));
        assertThat(Files.readString(stepDirectory(5).resolve(TrainingCheckpoint.MANIFEST_CHECKSUM_FILE)))
                .isEqualTo(manifestSha + "  manifest.json\n");
    }

    @Test
    void epochBoundaryPointsAtNextEpoch() throws IOException {
        trainAndCheckpoint(4);

        CheckpointManifest manifest = TrainingCheckpoint.open(stepDirectory(4)).manifest();
        assertThat(manifest.position()).isEqualTo(new DataPosition(1, 0, 4, 16));
        assertThat(manifest.rng().epoch()).isEqualTo(1);
    }

    @Test
    void keepsNewestCheckpoints() throws IOException {
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.checkpointEvery(1, root, 2).train(pairs(), 5);
        }

        try (Stream<Path> children = Files.list(root)) {
            assertThat(children.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("step-000004", "step-000005");
        }
    }

    @Test
    void intervalAndLastStepAreWritten() throws IOException {
        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.checkpointEvery(3, root, 10).train(pairs(), 7);
        }

        assertThat(TrainingCheckpoint.list(root)).containsExactly(stepDirectory(3), stepDirectory(6),
                stepDirectory(7));
    }

    @Test
    void latestIgnoresTemporaryDirectories() throws IOException {
        Files.createDirectories(root.resolve("step-000003"));
        Files.createDirectories(root.resolve("step-000010"));
        Files.createDirectories(root.resolve(".step-000011.tmp-123"));
        Files.createDirectories(root.resolve("notes"));

        assertThat(TrainingCheckpoint.latest(root)).contains(root.resolve("step-000010"));
        assertThat(TrainingCheckpoint.list(root)).containsExactly(root.resolve("step-000003"),
                root.resolve("step-000010"));
        assertThat(TrainingCheckpoint.resolve(root)).isEqualTo(root.resolve("step-000010"));
    }

    @Test
    void pruneRemovesLeftoverTemporaryDirectories() throws IOException {
        Files.createDirectories(root.resolve("step-000003"));
        Files.createDirectories(root.resolve(".step-000004.tmp-99"));

        TrainingCheckpoint.prune(root, 1);

        try (Stream<Path> children = Files.list(root)) {
            assertThat(children.map(path -> path.getFileName().toString())).containsExactly("step-000003");
        }
    }

    @Test
    void emptyRootIsRejected() {
        assertThatThrownBy(() -> TrainingCheckpoint.resolve(root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No checkpoint found in " + root);
    }

    @Test
    void flippedByteIsRejectedByName() throws IOException {
        trainAndCheckpoint(5);
        Path weights = stepDirectory(5).resolve(TrainingCheckpoint.MODEL_FILE);
        try (RandomAccessFile file = new RandomAccessFile(weights.toFile(), "rw")) {
            long position = file.length() - 3;
            file.seek(position);
            int value = file.read();
            file.seek(position);
            file.write(value ^ 0x01);
        }

        assertThatThrownBy(() -> TrainingCheckpoint.open(stepDirectory(5)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("is corrupt: its SHA-256 is")
                .satisfies(e -> assertThat(((CorruptCheckpointException) e).file()).isEqualTo(weights));
    }

    @Test
    void truncatedFileIsRejectedByName() throws IOException {
        trainAndCheckpoint(5);
        Path moments = stepDirectory(5).resolve(TrainingCheckpoint.OPTIMIZER_FILE);
        long size = Files.size(moments);
        try (RandomAccessFile file = new RandomAccessFile(moments.toFile(), "rw")) {
            file.setLength(size - 10);
        }

        assertThatThrownBy(() -> TrainingCheckpoint.open(stepDirectory(5)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(moments.toString())
                .hasMessageContaining("is truncated: it has " + (size - 10) + " bytes but manifest.json records "
                        + size);
    }

    @Test
    void editedManifestIsRejected() throws IOException {
        trainAndCheckpoint(5);
        Path manifest = stepDirectory(5).resolve(TrainingCheckpoint.MANIFEST_FILE);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"step\": 5", "\"step\": 6"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> TrainingCheckpoint.open(stepDirectory(5)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(manifest.toString())
                .hasMessageContaining("manifest.json.sha256 records");
    }

    @Test
    void corruptLatestCheckpointFailsResume() throws IOException {
        trainAndCheckpoint(5);
        Files.delete(stepDirectory(5).resolve(TrainingCheckpoint.MANIFEST_CHECKSUM_FILE));

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            assertThatThrownBy(() -> trainer.resumeFrom(root))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("manifest.json.sha256 is missing");
            assertThat(trainer.completedSteps()).isZero();
        }
    }

    @Test
    void otherDataIsRejected() throws IOException {
        trainAndCheckpoint(5);
        List<EncodedPair> other = ToyData.encoded(64, 99);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.resumeFrom(root);

            assertThatThrownBy(() -> trainer.train(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the training data differs")
                    .hasMessageContaining("64 pairs with SHA-256 " + DataFingerprint.of(pairs()).sha256()
                            + " in the checkpoint")
                    .hasMessageContaining("64 pairs with SHA-256 " + DataFingerprint.of(other).sha256()
                            + " in this run");
            assertThat(trainer.completedSteps()).isEqualTo(5);
        }
    }

    @Test
    void otherScheduleIsRejectedNamingKey() throws IOException {
        trainAndCheckpoint(5);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(),
                        warmupConfig().warmupSteps(5).build())) {
            assertThatThrownBy(() -> trainer.resumeFrom(root))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the learning-rate schedule differs in scheduler.warmup_steps")
                    .hasMessageContaining("(10 in the checkpoint, 5 in this run)");
            assertThat(trainer.completedSteps()).isZero();
        }
    }

    @Test
    void otherSeedIsRejectedNamingKey() throws IOException {
        trainAndCheckpoint(5);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().seed(2).build())) {
            assertThatThrownBy(() -> trainer.resumeFrom(root))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a trainer setting differs in trainer_config.seed (1 in the checkpoint, 2 in"
                            + " this run)");
        }
    }

    @Test
    void otherLogIntervalIsAccepted() throws IOException {
        trainAndCheckpoint(5);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(),
                        warmupConfig().logEvery(1).build())) {
            trainer.resumeFrom(root);

            assertThat(trainer.completedSteps()).isEqualTo(5);
        }
    }

    @Test
    void resumeNeedsNewTrainer() throws IOException {
        trainAndCheckpoint(5);

        try (ToyRewardModel model = ToyData.model(MODEL_SEED);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), warmupConfig().build())) {
            trainer.train(pairs(), 1);

            assertThatThrownBy(() -> trainer.resumeFrom(root))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already at step 1");
        }
    }

    @Test
    void fingerprintFollowsOrderAndTokens() {
        List<EncodedPair> pairs = pairs();
        List<EncodedPair> reversed = new ArrayList<>(pairs);
        Collections.reverse(reversed);
        EncodedPair first = pairs.get(0);
        List<EncodedPair> edited = new ArrayList<>(pairs);
        int[] chosen = first.chosen().clone();
        chosen[1] = chosen[1] + 1;
        edited.set(0, new EncodedPair(first.id(), chosen, first.rejected(), first.magnitude(), first.subset()));

        assertThat(DataFingerprint.of(pairs)).isEqualTo(DataFingerprint.of(ToyData.encoded(64, 16)));
        assertThat(DataFingerprint.of(reversed).sha256()).isNotEqualTo(DataFingerprint.of(pairs).sha256());
        assertThat(DataFingerprint.of(edited).sha256()).isNotEqualTo(DataFingerprint.of(pairs).sha256());
        assertThat(DataFingerprint.of(List.of()).sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void dataPositionAfterStep() {
        // 4 steps per epoch of 2 micro batches each, 8 micro batches per epoch.
        assertThat(DataPosition.after(0, 4, 8, 2)).isEqualTo(new DataPosition(0, 0, 4, 8));
        assertThat(DataPosition.after(3, 4, 8, 2)).isEqualTo(new DataPosition(0, 6, 4, 8));
        assertThat(DataPosition.after(4, 4, 8, 2)).isEqualTo(new DataPosition(1, 0, 4, 8));
        assertThat(DataPosition.after(9, 4, 8, 2)).isEqualTo(new DataPosition(2, 2, 4, 8));
    }
}
