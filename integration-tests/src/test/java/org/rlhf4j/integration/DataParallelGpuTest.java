package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TrainingResult;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.hardware.CudaBackend;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.plugins.PluginDiscovery;

/**
 * Data-parallel reward-model training across devices: replicas on two GPUs, or on a GPU and the
 * CPU, must train like one GPU. Each test is skipped, with the reason, where the devices it needs
 * are missing. The measurements go to {@code target/gpu-report/gpu-report.json}.
 */
@Tag("gpu")
class DataParallelGpuTest {

    private static final long SEED = 17;
    private static final double LEARNING_RATE = 1e-4;
    /** Largest weight difference allowed, relative to the largest weight of the tensor. */
    private static final double RELATIVE_TOLERANCE = 1e-5;

    @BeforeEach
    void requireCudaDevice() {
        assumeTrue(new CudaBackend().isAvailable(),
                "No CUDA device: the CUDA runtime reports no GPU on this machine, so the GPU suite does not run");
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "A CUDA device exists, but the PyTorch native library"
                + " on the class path is the CPU build; run the suite with the cuda Maven profile (-Pcuda)");
    }

    @Test
    void twoGpusMatchOneGpu() throws IOException {
        int gpus = Engine.getInstance().getGpuCount();
        assumeTrue(gpus >= 2, "Data parallelism over GPUs needs at least 2 CUDA devices, but this machine has "
                + gpus);

        compare("two_gpus_vs_one_gpu", List.of(Device.gpu(0), Device.gpu(1)));
    }

    @Test
    void gpuAndCpuReplicasMatchOneGpu() throws IOException {
        // Runs on a single GPU and still moves gradients and weights between two devices.
        compare("gpu_and_cpu_vs_one_gpu", List.of(Device.gpu(0), Device.cpu()));
    }

    private static void compare(String section, List<Device> devices) throws IOException {
        Path gguf = BundledModel.stories260k();
        RewardLoss loss = PluginDiscovery.discoverDefault().rewardLoss("bt");
        Run single = train(gguf, loss, config().build());
        Run parallel = train(gguf, loss, config().devices(devices).build());
        double difference = maxRelativeDifference(parallel.weights(), single.weights());

        JsonObject report = new JsonObject();
        report.addProperty("devices", devices.toString());
        report.addProperty("max_relative_weight_difference", difference);
        report.addProperty("single_device_seconds", single.result().seconds());
        report.addProperty("data_parallel_seconds", parallel.result().seconds());
        GpuReport.write(section, report);

        for (int step = 0; step < single.result().losses().size(); step++) {
            assertThat(parallel.result().losses().get(step)).as("loss of step %d", step + 1)
                    .isCloseTo(single.result().losses().get(step), within(1e-5));
        }
        assertThat(difference).as("largest weight difference relative to its tensor's largest weight")
                .isLessThan(RELATIVE_TOLERANCE);
    }

    private static RewardTrainerConfig.Builder config() {
        return RewardTrainerConfig.builder().learningRate(LEARNING_RATE).warmupSteps(0)
                .schedule(LearningRateSchedule.Kind.CONSTANT).globalBatchPairs(10).microBatchPairs(5).maxSteps(3)
                .maxLength(48).seed(SEED);
    }

    private record Run(TrainingResult result, Map<String, float[]> weights) {}

    private static Run train(Path gguf, RewardLoss loss, RewardTrainerConfig config) throws IOException {
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), SEED, Device.gpu(0));
                RewardTrainer trainer = new RewardTrainer(model, loss, config)) {
            List<EncodedPair> pairs = GpuTrainingTest.SyntheticPairs.of(SEED, 10, 48, model.tokenizer().vocabSize());
            TrainingResult result = trainer.train(pairs);
            Map<String, float[]> weights = new LinkedHashMap<>();
            model.parameters().forEach((name, array) -> weights.put(name, array.toFloatArray()));
            return new Run(result, weights);
        }
    }

    /**
     * Returns the largest |a - b| of any tensor, divided by the largest |b| of that tensor. The head
     * bias is left out: it adds the same amount to both rewards of a pair, so its gradient is only
     * rounding noise, which Adam scales to steps of about the learning rate with a random sign.
     */
    private static double maxRelativeDifference(Map<String, float[]> actual, Map<String, float[]> expected) {
        double largest = 0;
        for (Map.Entry<String, float[]> entry : expected.entrySet()) {
            if (entry.getKey().equals(LlamaRewardModel.HEAD_BIAS)) {
                continue;
            }
            float[] want = entry.getValue();
            float[] got = actual.get(entry.getKey());
            double scale = 0;
            double difference = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                difference = Math.max(difference, Math.abs(got[i] - want[i]));
            }
            largest = Math.max(largest, difference / scale);
        }
        return largest;
    }
}
