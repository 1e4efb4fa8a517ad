package org.rlhf4j.evaluation.rewardbench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.internal.FieldProblem;
import org.rlhf4j.evaluation.internal.JsonFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the five LLMBar data sets (Zeng et al., ICLR 2024, {@code princeton-nlp/LLMBar}, MIT
 * licence) into the RewardBench "Chat Hard" subsets that RewardBench built from them.
 *
 * <p>Each input file is a JSON array of objects {@code {input, output_1, output_2, label}} where
 * {@code label} (the integer 1 or 2) names the better output. Each element becomes a
 * {@link RewardBenchPair} with {@code prompt = input}, {@code chosen = output_<label>} and
 * {@code rejected} the other output, as RewardBench does. The id is {@code "<subset>:<index>"} with
 * the 0-based index of the element in its file. Other fields are ignored.
 *
 * <p>Reading stops at the first bad element with a {@link DataFormatException} that names the file,
 * the 1-based element number, the field and the expected form: a label other than the integer 1
 * or 2 (also {@code "1"}, {@code 1.0} or {@code true}), a missing or non-string text field, a
 * duplicate key, invalid JSON, invalid UTF-8 or an unpaired surrogate.
 *
 * <p>The output is JSON Lines with the fields {@code id, subset, prompt, chosen, rejected}, the
 * layout that the {@code pairs} data source of {@code org.rlhf4j.data} reads.
 */
public final class LlmBarConverter {

    /**
     * One LLMBar file and the RewardBench subset made from it.
     *
     * @param fileName the file name inside the LLMBar directory
     * @param subset the RewardBench subset name
     */
    public record Part(String fileName, String subset) {
    }

    /** The five LLMBar files, in the order of RewardBench's Chat Hard section. */
    public static final List<Part> PARTS = List.of(
            new Part("llmbar_natural.json", "llmbar-natural"),
            new Part("llmbar_adversarial_neighbor.json", "llmbar-adver-neighbor"),
            new Part("llmbar_adversarial_gptinst.json", "llmbar-adver-GPTInst"),
            new Part("llmbar_adversarial_gptout.json", "llmbar-adver-GPTOut"),
            new Part("llmbar_adversarial_manual.json", "llmbar-adver-manual"));

    private static final Logger logger = LoggerFactory.getLogger(LlmBarConverter.class);

    private static final String INPUT = "input";
    private static final String OUTPUT_1 = "output_1";
    private static final String OUTPUT_2 = "output_2";
    private static final String LABEL = "label";
    private static final Set<String> FIELDS = Set.of(INPUT, OUTPUT_1, OUTPUT_2, LABEL);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private LlmBarConverter() {
    }

    /**
     * Converts all five files of an LLMBar directory and writes the pairs to one JSON Lines file,
     * atomically.
     *
     * @param llmBarDirectory the directory that contains the five files named in {@link #PARTS}
     * @param output the JSON Lines file to create or replace
     * @return the number of pairs per subset, in the order of {@link #PARTS}
     * @throws DataFormatException at the first bad element; nothing is written then
     * @throws IOException when a file cannot be read or the output cannot be written
     */
    public static Map<String, Integer> convert(Path llmBarDirectory, Path output) throws IOException {
        List<RewardBenchPair> pairs = readAll(llmBarDirectory);
        write(pairs, output);
        Map<String, Integer> counts = new LinkedHashMap<>();
        PARTS.forEach(part -> counts.put(part.subset(), 0));
        pairs.forEach(pair -> counts.merge(pair.subset(), 1, Integer::sum));
        logger.info("Wrote {} LLMBar pairs to {}: {}", pairs.size(), output, counts);
        return counts;
    }

    /**
     * Reads all five files of an LLMBar directory.
     *
     * @param llmBarDirectory the directory that contains the five files named in {@link #PARTS}
     * @return the pairs, file by file in the order of {@link #PARTS}
     * @throws DataFormatException at the first bad element
     * @throws IOException when a file is missing or cannot be read
     */
    public static List<RewardBenchPair> readAll(Path llmBarDirectory) throws IOException {
        List<RewardBenchPair> pairs = new ArrayList<>();
        for (Part part : PARTS) {
            pairs.addAll(read(llmBarDirectory.resolve(part.fileName()), part.subset()));
        }
        return pairs;
    }

    /**
     * Reads one LLMBar file.
     *
     * @param file a JSON array of {@code {input, output_1, output_2, label}} objects
     * @param subset the subset name to give the pairs
     * @return the pairs in file order
     * @throws DataFormatException at the first bad element
     * @throws IOException when the file cannot be read
     */
    public static List<RewardBenchPair> read(Path file, String subset) throws IOException {
        if (subset == null || subset.isBlank()) {
            throw new IllegalArgumentException("subset must be a non-blank name, got " + subset);
        }
        try (Reader chars = strictUtf8(file); JsonReader json = JsonFields.strictReader(chars)) {
            return new ArrayParser(file, subset, json).parse();
        }
    }

    /**
     * Writes pairs as JSON Lines ({@code id, subset, prompt, chosen, rejected}), atomically.
     *
     * @param pairs the pairs
     * @param output the file to create or replace
     * @throws IOException when the file cannot be written; it is then unchanged
     */
    public static void write(List<RewardBenchPair> pairs, Path output) throws IOException {
        AtomicFiles.write(output, out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (RewardBenchPair pair : pairs) {
                writer.write(GSON.toJson(toJson(pair)));
                writer.write('\n');
            }
            writer.flush();
        });
    }

    private static JsonObject toJson(RewardBenchPair pair) {
        JsonObject object = new JsonObject();
        object.addProperty("id", pair.id());
        object.addProperty("subset", pair.subset());
        object.addProperty("prompt", pair.prompt());
        object.addProperty("chosen", pair.chosen());
        object.addProperty("rejected", pair.rejected());
        return object;
    }

    private static Reader strictUtf8(Path file) throws IOException {
        return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Parses one LLMBar array, keeping the element number for error messages. */
    private static final class ArrayParser {
        private final Path file;
        private final String subset;
        private final JsonReader json;
        private long element;

        ArrayParser(Path file, String subset, JsonReader json) {
            this.file = file;
            this.subset = subset;
            this.json = json;
        }

        List<RewardBenchPair> parse() throws IOException {
            try {
                return readElements();
            } catch (FieldProblem problem) {
                throw new DataFormatException(file, element, problem.field(), problem.getMessage());
            } catch (CharacterCodingException e) {
                // The decoder reads ahead of the parser, so the bad bytes may lie in a later element.
                throw new DataFormatException(file, Math.max(element, 1), null,
                        "invalid UTF-8 in this element or a later one (" + e + "); expected UTF-8 text");
            } catch (MalformedJsonException | EOFException e) {
                throw new DataFormatException(file, Math.max(element, 1), null, "invalid JSON: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }

        private List<RewardBenchPair> readElements() throws IOException {
            if (json.peek() != JsonToken.BEGIN_ARRAY) {
                throw new DataFormatException(file, 1, null,
                        "expected a JSON array of objects, got " + JsonFields.describe(json.peek()));
            }
            List<RewardBenchPair> pairs = new ArrayList<>();
            json.beginArray();
            while (json.hasNext()) {
                element++;
                pairs.add(toPair(pairs.size(), JsonFields.read(json, FIELDS)));
            }
            json.endArray();
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new DataFormatException(file, element, null, "expected nothing after the JSON array");
            }
            return pairs;
        }

        private RewardBenchPair toPair(int index, JsonFields fields) {
            String prompt = fields.requireString(INPUT);
            String first = fields.requireString(OUTPUT_1);
            String second = fields.requireString(OUTPUT_2);
            int label = fields.requireInteger(LABEL, 1, 2);
            String chosen = label == 1 ? first : second;
            String rejected = label == 1 ? second : first;
            return new RewardBenchPair(subset + ":" + index, subset, prompt, chosen, rejected);
        }
    }
}
