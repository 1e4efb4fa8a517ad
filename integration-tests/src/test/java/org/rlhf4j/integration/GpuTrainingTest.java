package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.StepMetrics;
import org.rlhf4j.algorithms.reward.TrainingResult;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.hardware.ActivationRecompute;
import org.rlhf4j.hardware.CudaBackend;
import org.rlhf4j.hardware.GpuCatalog;
import org.rlhf4j.hardware.GpuSpec;
import org.rlhf4j.hardware.MemoryEstimator;
import org.rlhf4j.hardware.ModelRole;
import org.rlhf4j.hardware.ModelShape;
import org.rlhf4j.hardware.Precision;
import org.rlhf4j.models.llama.LlamaConfig;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.plugins.PluginDiscovery;

/**
 * Reward-model training on a CUDA GPU. Every test is skipped, with the reason, on a machine
 * without a CUDA device or without the CUDA build of PyTorch (the {@code cuda} Maven profile).
 * The measurements go to {@code target/gpu-report/gpu-report.json}.
 */
@Tag("gpu")
class GpuTrainingTest {

    private static final long SEED = 17;

    /** A float32 decoder of about 123 million parameters with tied embeddings. */
    private static final LlamaConfig SYNTHETIC = LlamaConfig.builder().vocabSize(32000).embeddingLength(1024)
            .feedForwardLength(2816).blockCount(8).headCount(16).headCountKv(4).contextLength(2048)
            .tiedEmbeddings(true).eosTokenId(2).build();

    private static final ModelShape SYNTHETIC_SHAPE = new ModelShape("synthetic-123m", 8, 1024, 16, 4, 2816, 32000,
            true);

    @BeforeEach
    void requireCudaDevice() {
        assumeTrue(new CudaBackend().isAvailable(),
                "No CUDA device: the CUDA runtime reports no GPU on this machine, so the GPU suite does not run");
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "A CUDA device exists, but the PyTorch native library"
                + " on the class path is the CPU build; run the suite with the cuda Maven profile (-Pcuda)");
    }

    @Test
    void trainingStepMatchesCpu() throws IOException {
        Path gguf = BundledModel.stories260k();
        RewardLoss loss = PluginDiscovery.discoverDefault().rewardLoss("bt");
        RewardTrainerConfig config = config(8, 4, 2, 64);
        Run cpu = trainStories(gguf, loss, config, Device.cpu());
        Run gpu = trainStories(gguf, loss, config, Device.gpu());

        double headDifference = maxAbsDifference(cpu.headWeights(), gpu.headWeights());
        JsonObject section = new JsonObject();
        section.add("cpu_losses", toJson(cpu.result().losses()));
        section.add("gpu_losses", toJson(gpu.result().losses()));
        section.addProperty("max_head_weight_difference", headDifference);
        GpuReport.write("cpu_vs_gpu_training_step", section);

        for (int step = 0; step < cpu.result().losses().size(); step++) {
            assertThat(gpu.result().losses().get(step)).as("loss of step %d", step + 1)
                    .isCloseTo(cpu.result().losses().get(step), within(1e-4));
        }
        assertThat(headDifference).as("largest difference of the trained head weights").isLessThan(1e-4);
    }

    @Test
    void peakMemoryWithinQuarterOfEstimate() throws IOException {
        Device gpu = Device.gpu();
        RewardLoss loss = PluginDiscovery.discoverDefault().rewardLoss("bt");
        int sequenceLength = 128;
        int microPairs = 4;
        initializeCuda(gpu);
        long baseline = usedBytes(gpu);
        long measured;
        long parameters;
        try (SyntheticRewardModel model = SyntheticRewardModel.create(SYNTHETIC, gpu);
                RewardTrainer trainer = new RewardTrainer(model, loss, config(8, microPairs, 1, sequenceLength))) {
            parameters = model.parameterCount();
            trainer.train(SyntheticPairs.of(SEED, 8, sequenceLength, SYNTHETIC.vocabSize()));
            // PyTorch's caching allocator keeps freed blocks reserved, so the device's used memory
            // after the step still covers the step's peak.
            measured = usedBytes(gpu) - baseline;
        }
        MemoryEstimator estimator = MemoryEstimator.builder().optWeightPrecision(Precision.FP32)
                .optActivationPrecision(Precision.FP32).build();
        long states = estimator.estimate(ModelRole.REWARD, SYNTHETIC_SHAPE, true).totalBytes();
        // chosen and rejected sequences go through one forward pass: 2 sequences per pair
        long activations = estimator.trainingActivationBytes(ModelRole.REWARD, SYNTHETIC_SHAPE, sequenceLength,
                2 * microPairs, ActivationRecompute.NONE);
        long estimate = states + activations;

        JsonObject section = new JsonObject();
        section.addProperty("model", SYNTHETIC_SHAPE.name());
        section.addProperty("parameters", parameters);
        section.addProperty("sequence_length", sequenceLength);
        section.addProperty("sequences_per_forward_pass", 2 * microPairs);
        section.addProperty("estimated_state_bytes", states);
        section.addProperty("estimated_activation_bytes", activations);
        section.addProperty("estimated_bytes", estimate);
        section.addProperty("measured_bytes", measured);
        section.addProperty("measured_over_estimate", (double) measured / estimate);
        GpuReport.write("peak_memory", section);

        assertThat(parameters).isEqualTo(SYNTHETIC_SHAPE.parameterCountWithHead(1));
        assertThat((double) measured).as("measured peak memory against the estimate of %,d bytes", estimate)
                .isBetween(0.75 * estimate, 1.25 * estimate);
    }

    @Test
    void throughputReportIsWritten() throws IOException {
        Device gpu = Device.gpu();
        RewardLoss loss = PluginDiscovery.discoverDefault().rewardLoss("bt");
        int sequenceLength = 512;
        int steps = 5;
        List<StepMetrics> measured = new ArrayList<>();
        try (SyntheticRewardModel model = SyntheticRewardModel.create(SYNTHETIC, gpu);
                RewardTrainer trainer = new RewardTrainer(model, loss, config(16, 4, steps, sequenceLength))) {
            trainer.addListener(measured::add);
            trainer.train(SyntheticPairs.of(SEED, 16 * steps, sequenceLength, SYNTHETIC.vocabSize()));
        }
        // the first step includes CUDA kernel selection and allocator warm-up
        List<StepMetrics> timed = measured.subList(1, measured.size());
        double seconds = timed.stream().mapToDouble(StepMetrics::seconds).sum();
        long tokens = timed.stream().mapToLong(step -> 2L * step.pairs() * sequenceLength).sum();
        double tokensPerSecond = tokens / seconds;
        double flopsPerToken = trainingFlopsPerToken(SYNTHETIC_SHAPE, sequenceLength);
        GpuSpec spec = catalogGpu(gpu);

        JsonObject section = new JsonObject();
        section.addProperty("model", SYNTHETIC_SHAPE.name());
        section.addProperty("precision", "float32");
        section.addProperty("sequence_length", sequenceLength);
        section.addProperty("timed_steps", timed.size());
        section.addProperty("tokens_per_second", tokensPerSecond);
        section.addProperty("model_flops_per_token", flopsPerToken);
        section.addProperty("achieved_tflops", flopsPerToken * tokensPerSecond / 1e12);
        section.addProperty("gpu_catalog_entry", spec == null ? "unknown" : spec.name());
        section.add("peak_bf16_dense_tflops", spec == null ? JsonNull.INSTANCE
                : GpuReport.number(spec.bf16DenseTflops()));
        section.add("model_flops_utilization", spec == null ? JsonNull.INSTANCE
                : GpuReport.number(flopsPerToken * tokensPerSecond / (spec.bf16DenseTflops() * 1e12)));
        section.addProperty("note", "MFU is measured against the BF16 dense peak, but this run trains in float32,"
                + " so it stays far below what BF16 training would reach.");
        GpuReport.write("throughput", section);

        assertThat(tokensPerSecond).isPositive();
        assertThat(Files.isRegularFile(GpuReport.file())).isTrue();
    }

    /**
     * Counts training FLOPs per token: 6 per weight of the layers and the head (2 in the forward
     * pass, 4 in the backward pass; the embedding lookup does no multiply-adds), plus
     * {@code 12 * layers * hidden * sequenceLength} for the attention scores and their use, as in
     * Chowdhery et al. 2022 (PaLM), appendix B.
     */
    static double trainingFlopsPerToken(ModelShape shape, int sequenceLength) {
        double weights = shape.parameterCountWithHead(1) - shape.embeddingParameterCount();
        return 6 * weights + 12.0 * shape.layers() * shape.hidden() * sequenceLength;
    }

    private record Run(TrainingResult result, float[] headWeights) {}

    private static Run trainStories(Path gguf, RewardLoss loss, RewardTrainerConfig config, Device device)
            throws IOException {
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), SEED, device);
                RewardTrainer trainer = new RewardTrainer(model, loss, config)) {
            List<EncodedPair> pairs = SyntheticPairs.of(SEED, 16, 48, model.tokenizer().vocabSize());
            TrainingResult result = trainer.train(pairs);
            float[] head = model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray();
            return new Run(result, head);
        }
    }

    private static RewardTrainerConfig config(int globalPairs, int microPairs, int steps, int maxLength) {
        return RewardTrainerConfig.builder().learningRate(1e-3).warmupSteps(0)
                .schedule(LearningRateSchedule.Kind.CONSTANT).globalBatchPairs(globalPairs)
                .microBatchPairs(microPairs).maxSteps(steps).maxLength(maxLength).seed(SEED).build();
    }

    private static void initializeCuda(Device gpu) {
        try (NDManager manager = NDManager.newBaseManager(gpu)) {
            manager.ones(new Shape(1)).toFloatArray();
        }
    }

    private static long usedBytes(Device gpu) {
        return CudaUtils.getGpuMemory(gpu).getUsed();
    }

    /**
     * Finds the GPU in the catalog: the key in the system property {@code rlhf4j.gpu}, else a
     * guess from the compute capability and memory (8.0: A100, 9.0: H100 or, above 100 GB, H200;
     * SXM is assumed). Returns null when neither works.
     */
    private static GpuSpec catalogGpu(Device gpu) {
        String named = System.getProperty("rlhf4j.gpu");
        if (named != null && !named.isBlank()) {
            return GpuCatalog.byName(named);
        }
        String capability = CudaUtils.getComputeCapability(gpu.getDeviceId());
        long memory = CudaUtils.getGpuMemory(gpu).getMax();
        return switch (capability) {
            case "80" -> memory > 50e9 ? GpuCatalog.A100_80GB_SXM : GpuCatalog.A100_40GB_SXM;
            case "90" -> memory > 100e9 ? GpuCatalog.H200_141GB_SXM : GpuCatalog.H100_80GB_SXM;
            default -> null;
        };
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    private static JsonArray toJson(List<Double> values) {
        JsonArray array = new JsonArray();
        values.forEach(value -> array.add(GpuReport.number(value)));
        return array;
    }

    /** Random token-id pairs of one length, so that no padding changes the work per step. */
    static final class SyntheticPairs {

        private SyntheticPairs() {}

        static List<EncodedPair> of(long seed, int count, int length, int vocabSize) {
            Random random = new Random(seed);
            List<EncodedPair> pairs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pairs.add(new EncodedPair(String.format(Locale.ROOT, "synthetic-%d", i),
                        ids(random, length, vocabSize), ids(random, length, vocabSize), 1.0, null));
            }
            return pairs;
        }

        private static int[] ids(Random random, int length, int vocabSize) {
            int[] ids = new int[length];
            ids[0] = 1;
            for (int i = 1; i < length; i++) {
                ids[i] = 3 + random.nextInt(vocabSize - 3);
            }
            return ids;
        }
    }
}
