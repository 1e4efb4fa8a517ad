package org.rlhf4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void keepsNumberLiterals() {
        JsonRecord record = StrictJson.parseObjectLine("{\"a\": 2, \"b\": 2.0, \"c\": -0, \"d\": 1e3}");

        assertThat(record.fields().get("a")).isEqualTo(new JsonNumber("2"));
        assertThat(record.fields().get("b")).isEqualTo(new JsonNumber("2.0"));
        assertThat(((JsonNumber) record.fields().get("c")).isIntegerLiteral()).isTrue();
        assertThat(((JsonNumber) record.fields().get("d")).isIntegerLiteral()).isFalse();
    }

    @Test
    void buildsNestedValuesInOrder() {
        JsonRecord record = StrictJson.parseObjectLine("{\"z\": [1, \"x\", null, false], \"a\": {\"k\": \"v\"}}");

        assertThat(record.fields().keySet()).containsExactly("z", "a");
        assertThat(record.fields().get("z"))
                .isEqualTo(List.of(new JsonNumber("1"), "x", JsonNull.INSTANCE, Boolean.FALSE));
        assertThat(record.fields().get("a")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void rejectsDuplicateKeyInNestedObject() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> StrictJson.parseObjectLine("{\"outer\": {\"k\": 1, \"k\": 2}}"));

        assertThat(problem.field()).isEqualTo("outer");
        assertThat(problem.getMessage()).contains("duplicate key 'k' inside field 'outer'");
    }

    @Test
    void rejectsUnpairedSurrogateInKey() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> StrictJson.parseObjectLine("{\"a\\udc00\": 1}"));

        assertThat(problem.getMessage()).contains("unpaired UTF-16 surrogate U+DC00 at character 2");
    }

    @Test
    void rejectsControlCharacterInString() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> StrictJson.parseObjectLine("{\"a\": \"tab\there\"}"));

        assertThat(problem.getMessage()).startsWith("invalid JSON at column");
    }

    @Test
    void rejectsNonStandardNumbers() {
        for (String line : List.of("{\"a\": NaN}", "{\"a\": 01}", "{\"a\": +1}", "{\"a\": .5}")) {
            RecordProblem problem = catchThrowableOfType(RecordProblem.class, () -> StrictJson.parseObjectLine(line));

            assertThat(problem).as(line).isNotNull();
            assertThat(problem.getMessage()).as(line).startsWith("invalid JSON at column");
        }
    }
}
