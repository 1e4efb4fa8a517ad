package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.hardware.CudaBackend;

/**
 * Generation and policy training on a GPU: a short REINFORCE run of {@code rlhf4j align} with
 * {@code --device cuda:0}. Skipped, with the reason, where no CUDA device exists.
 */
@Tag("gpu")
class AlignGpuTest {

    @BeforeEach
    void requireCudaDevice() {
        assumeTrue(new CudaBackend().isAvailable(),
                "No CUDA device: the CUDA runtime reports no GPU on this machine, so the GPU suite does not run");
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "A CUDA device exists, but the PyTorch native library"
                + " on the class path is the CPU build; run the suite with the cuda Maven profile (-Pcuda)");
    }

    @Test
    void reinforceRunsOnGpu(@TempDir Path out) throws IOException {
        Cli.Result result = Cli.run("align", "--algorithm", "reinforce", "--device", "cuda:0", "--steps", "2",
                "--reward-steps", "2", "--held-out", "0.05", "--eval-prompts", "2", "--eval-samples", "2",
                "--prompts-per-step", "2", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject metrics = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        assertThat(metrics.get("device").getAsString()).startsWith("gpu");
        assertThat(metrics.get("held_out_reward_after").getAsDouble()).isFinite();
        assertThat(metrics.get("kl_per_token_after").getAsDouble()).isFinite();
    }
}
