package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.cli.PlanCommand;

/** {@code rlhf4j plan}: its table, JSON file and exit status. */
class PlanCommandTest {

    @TempDir
    Path work;

    @Test
    void referenceRewardLayoutFits() throws Exception {
        Path json = work.resolve("plans/reward.json");

        Cli.Result result = Cli.run("plan", "--pipeline", "reward", "--gpu", "a100-80gb-sxm", "--nodes", "8",
                "--tp", "8", "--pp", "2", "--json", json.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Placement on 8 nodes x 8 A100 80GB SXM: fits");
        assertThat(result.out()).containsPattern("(?m)^reward +llama-3\\.1-70b +yes +no +8 +2 +4 +0-63 ");
        assertThat(result.out()).contains("Wrote " + json);
        JsonObject plan = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(plan.get("feasible").getAsBoolean()).isTrue();
        assertThat(plan.getAsJsonArray("roles").get(0).getAsJsonObject().get("pipeline_parallel").getAsInt())
                .isEqualTo(2);
        try (var files = Files.list(json.getParent())) {
            assertThat(files).as("no temporary file is left behind").containsExactly(json);
        }
    }

    @Test
    void ppoOnOneNodeExitsWithThree() {
        Cli.Result result = Cli.run("plan", "--pipeline", "ppo", "--nodes", "1");

        assertThat(result.exitCode()).isEqualTo(PlanCommand.EXIT_DOES_NOT_FIT);
        assertThat(result.out()).startsWith("Placement on 1 node x 8 H100 80GB SXM: does not fit");
        assertThat(result.out()).contains("need 2,521.0 GB before sharding");
        assertThat(result.out()).contains("What would fit (one change at a time):");
    }

    @Test
    void roleModelOverridesOneRole() {
        Cli.Result result = Cli.run("plan", "--pipeline", "reinforce", "--model", "llama-3.1-8b", "--role-model",
                "reward=llama-3.1-70b", "--nodes", "2");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).containsPattern("(?m)^policy +llama-3\\.1-8b ");
        assertThat(result.out()).containsPattern("(?m)^reward +llama-3\\.1-70b ");
    }

    @Test
    void configFileServesAsModel() throws Exception {
        Path config = Files.writeString(Files.createDirectories(work.resolve("tiny")).resolve("config.json"),
                "{\"hidden_size\": 512, \"num_hidden_layers\": 4, \"num_attention_heads\": 8,"
                        + " \"intermediate_size\": 1024, \"vocab_size\": 1000}");

        Cli.Result result = Cli.run("plan", "--pipeline", "bt", "--model", config.toString(), "--gpus-per-node", "1");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).containsPattern("(?m)^reward +tiny +yes +no +1 +1 +1 +0 ");
    }

    @Test
    void roleOutsidePipelineIsInvalid() {
        Cli.Result result = Cli.run("plan", "--pipeline", "bt", "--role-model", "critic=llama-3.1-8b");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Pipeline bt has no role 'critic'; its roles are reward");
    }

    @Test
    void unknownGpuIsInvalid() {
        Cli.Result result = Cli.run("plan", "--gpu", "v100");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Unknown GPU 'v100'");
    }
}
