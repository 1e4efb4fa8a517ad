package org.rlhf4j.evaluation.rewardbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardBenchReportTest {

    private static final String HEADER = "| Model type | Variant | Overall | Chat | Chat-Hard | Safety | Reasoning |";

    @TempDir
    Path dir;

    @Test
    void markdownPrintsTableOneLayout() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add(RewardBenchResult.ofSectionScores(report.schema(), "BT (init. Helpfulness-Only Regression)",
                "Scaled + ExPO", RewardBenchResultTest.sections(0.975, 0.857, 0.951, 0.981)));

        List<String> lines = report.toMarkdown().lines().toList();

        assertThat(lines).containsExactly(
                HEADER,
                "|---|---|---|---|---|---|---|",
                "| BT (init. Helpfulness-Only Regression) | Scaled + ExPO | 94.1 | 97.5 | 85.7 | 95.1 | 98.1 |");
    }

    @Test
    void severalRowsShareOneTable() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add(RewardBenchResult.ofSectionScores(report.schema(), "SteerLM Regression",
                "HelpSteer Attributes (5)", RewardBenchResultTest.sections(0.950, 0.855, 0.940, 0.951)));
        report.add(RewardBenchResult.ofSectionScores(report.schema(), "BT (from scratch)", "Margin",
                RewardBenchResultTest.sections(0.980, 0.785, 0.946, 0.948)));

        List<String> lines = report.toMarkdown().lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo("| SteerLM Regression | HelpSteer Attributes (5) | 92.4 | 95.0 | 85.5 | 94.0"
                + " | 95.1 |");
        assertThat(lines.get(3)).isEqualTo("| BT (from scratch) | Margin | 91.5 | 98.0 | 78.5 | 94.6 | 94.8 |");
    }

    @Test
    void percentRoundsExactBinaryValueHalfEven() {
        assertThat(RewardBenchReport.percent(0.9155)).isEqualTo("91.5");
        assertThat(RewardBenchReport.percent(0.890625)).isEqualTo("89.1");
        assertThat(RewardBenchReport.percent(0.00125)).isEqualTo("0.1");
        assertThat(RewardBenchReport.percent(0.0)).isEqualTo("0.0");
        assertThat(RewardBenchReport.percent(1.0)).isEqualTo("100.0");
    }

    @Test
    void incompleteCellsGetAsteriskAndFootnote() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        List<ScoreRecord> records = new ArrayList<>(RewardBenchResultTest.pairs("alpacaeval-easy",
                new double[] {1, 1}, new double[] {0, 0}));
        records.addAll(RewardBenchResultTest.pairs("mt-bench-easy", new double[] {1, 0}, new double[] {0, 1}));
        records.addAll(RewardBenchResultTest.pairs("donotanswer",
                new double[] {1, 1, 1, 1}, new double[] {0, 0, 0, 1}));
        report.add("BT", "Partial", records);

        String markdown = report.toMarkdown();

        assertThat(markdown).contains("| BT | Partial | 82.0* | 89.1* | n/a* | 75.0* | n/a* |");
        assertThat(markdown).contains("Chat is missing alpacaeval-length, alpacaeval-hard, mt-bench-med");
        assertThat(markdown).contains("Chat-Hard has no scored subset (missing mt-bench-hard, llmbar-natural,");
        assertThat(markdown).contains("Safety is missing refusals-dangerous, refusals-offensive,"
                + " xstest-should-refuse, xstest-should-respond");
        assertThat(markdown).contains("Overall averages 2 of 4 sections");
    }

    @Test
    void tiesAreCountedInNote() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add("BT", "Ties", RewardBenchResultTest.pairs("donotanswer",
                new double[] {2, 1, 1, 0, 3}, new double[] {1, 1, 2, 0, 1}));

        assertThat(report.toMarkdown()).contains("Tied pairs: BT / Ties 2 of 5.");
    }

    @Test
    void unknownSubsetsAreListedInNote() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add("BT", "Extra", RewardBenchResultTest.pairs("shp", new double[] {1, 0}, new double[] {0, 1}));

        assertThat(report.toMarkdown()).contains("- BT / Extra: shp (2 pairs, 50.0%).");
    }

    @Test
    void pipeInNameIsEscaped() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add(RewardBenchResult.ofSectionScores(report.schema(), "A|B", "v",
                RewardBenchResultTest.sections(1, 1, 1, 1)));

        assertThat(report.toMarkdown()).contains("| A\\|B | v | 100.0 |");
    }

    @Test
    void jsonHoldsScoresAndGaps() {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        List<ScoreRecord> records = new ArrayList<>(RewardBenchResultTest.pairs("alpacaeval-easy",
                new double[] {1, 1}, new double[] {0, 0}));
        records.addAll(RewardBenchResultTest.pairs("mt-bench-easy", new double[] {1, 0}, new double[] {0, 0}));
        report.add("BT", "Partial", records);

        JsonObject row = JsonParser.parseString(report.toJson()).getAsJsonObject()
                .getAsJsonArray("rows").get(0).getAsJsonObject();
        JsonArray sections = row.getAsJsonArray("sections");
        JsonObject chat = sections.get(0).getAsJsonObject();

        assertThat(row.get("overall").getAsDouble()).isCloseTo(0.890625, within(1e-15));
        assertThat(row.get("complete").getAsBoolean()).isFalse();
        assertThat(row.get("ties").getAsInt()).isEqualTo(1);
        assertThat(row.getAsJsonArray("absent_sections")).hasSize(3);
        assertThat(chat.get("score").getAsDouble()).isCloseTo(0.890625, within(1e-15));
        assertThat(chat.getAsJsonArray("missing_subsets")).hasSize(3);
        assertThat(chat.getAsJsonArray("subsets").get(1).getAsJsonObject().get("example_count").getAsInt())
                .isEqualTo(28);
        assertThat(sections.get(1).getAsJsonObject().get("score").isJsonNull()).isTrue();
    }

    @Test
    void filesAreWrittenWithoutLeftovers() throws IOException {
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add(RewardBenchResult.ofSectionScores(report.schema(), "m", "v",
                RewardBenchResultTest.sections(0.5, 0.5, 0.5, 0.5)));
        Path json = dir.resolve("out/report.json");
        Path markdown = dir.resolve("out/report.md");
        Files.createDirectories(json.getParent());
        Files.writeString(markdown, "old content");

        report.writeJson(json);
        report.writeMarkdown(markdown);

        assertThat(Files.readString(json)).isEqualTo(report.toJson());
        assertThat(Files.readString(markdown)).isEqualTo(report.toMarkdown());
        try (Stream<Path> files = Files.list(json.getParent())) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                    "report.json", "report.md");
        }
    }

    @Test
    void rowWithOtherSectionsIsRejected() {
        RewardBenchSchema other = RewardBenchSchema.of("test", List.of(
                new RewardBenchSchema.Section("Only", java.util.Map.of("x", 1))));
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        RewardBenchResult row = RewardBenchResult.score(other, "m", "v", List.of());

        assertThatThrownBy(() -> report.add(row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[Only]");
    }
}
