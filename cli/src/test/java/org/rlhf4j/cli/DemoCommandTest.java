package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void demoRaisesHeldOutAccuracy(@TempDir Path out) throws IOException {
        CommandRunner.Result result = CommandRunner.run("demo", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject metrics = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        double before = metrics.get("accuracy_before").getAsDouble();
        double after = metrics.get("accuracy_after").getAsDouble();
        assertThat(metrics.get("pairs").getAsInt()).isEqualTo(876);
        assertThat(metrics.get("held_out_pairs").getAsInt()).isEqualTo(218);
        assertThat(after).isGreaterThan(before + 0.1);
        assertThat(after).isGreaterThan(0.75);
        assertThat(metrics.get("loss_last").getAsDouble()).isLessThan(metrics.get("loss_first").getAsDouble());
        assertThat(metrics.get("seconds").getAsDouble()).isPositive();
        assertThat(out.resolve("model/model.json")).exists();
        assertThat(Files.readAllLines(out.resolve("steps.jsonl"))).hasSize(metrics.get("steps").getAsInt());
        assertThat(result.out()).contains("Held-out accuracy before training").contains("Held-out accuracy after training");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
