package org.rlhf4j.evaluation.rewardbench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subsets of a RewardBench version, the section each belongs to and the example count that
 * weights it in its section score.
 *
 * <p>{@link #v1()} loads RewardBench v1 from the resource {@value #V1_RESOURCE} shipped in this
 * module: the {@code EXAMPLE_COUNTS} and {@code SUBSET_MAPPING} constants of
 * {@code allenai/reward-bench} at commit {@code 05a9005e}, file {@code rewardbench/constants.py}
 * (Apache-2.0). It has 23 subsets in four sections: Chat (358 examples), Chat Hard (456), Safety
 * (740) and Reasoning (1,968). In Reasoning, {@code math-prm} is weighted as 984 examples although
 * the data set has 447 {@code math-prm} rows, so that math weighs as much as the six {@code hep-*}
 * code subsets together.
 */
public final class RewardBenchSchema {

    /** Name of the v1 resource, next to this class. */
    public static final String V1_RESOURCE = "rewardbench_v1_subsets.json";

    private final String source;
    private final List<Section> sections;
    private final Map<String, Section> sectionOfSubset;

    /**
     * One section of the benchmark.
     *
     * @param name the section name, such as {@code "Chat Hard"}
     * @param exampleCounts the example count of each subset, in the order of the source
     */
    public record Section(String name, Map<String, Integer> exampleCounts) {

        public Section {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("section name must be non-blank, got " + name);
            }
            if (exampleCounts.isEmpty()) {
                throw new IllegalArgumentException("section '" + name + "' has no subsets");
            }
            exampleCounts.forEach((subset, count) -> {
                if (count == null || count <= 0) {
                    throw new IllegalArgumentException("example count of subset '" + subset + "' in section '"
                            + name + "' must be positive, got " + count);
                }
            });
            exampleCounts = Collections.unmodifiableMap(new LinkedHashMap<>(exampleCounts));
        }

        /** Returns the subset names, in the order of the source. */
        public List<String> subsets() {
            return List.copyOf(exampleCounts.keySet());
        }

        /** Returns the example count of one subset of this section. */
        public int exampleCount(String subset) {
            Integer count = exampleCounts.get(subset);
            if (count == null) {
                throw new IllegalArgumentException("subset '" + subset + "' is not in section '" + name + "'");
            }
            return count;
        }

        /** Returns the sum of the example counts of all subsets of this section. */
        public int totalExampleCount() {
            return exampleCounts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private RewardBenchSchema(String source, List<Section> sections) {
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("a schema needs at least one section");
        }
        Map<String, Section> bySubset = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Section section : sections) {
            if (names.contains(section.name())) {
                throw new IllegalArgumentException("section '" + section.name() + "' appears twice");
            }
            names.add(section.name());
            for (String subset : section.subsets()) {
                Section earlier = bySubset.putIfAbsent(subset, section);
                if (earlier != null) {
                    throw new IllegalArgumentException("subset '" + subset + "' is in both section '"
                            + earlier.name() + "' and section '" + section.name() + "'");
                }
            }
        }
        this.source = source;
        this.sections = List.copyOf(sections);
        this.sectionOfSubset = Collections.unmodifiableMap(bySubset);
    }

    /**
     * Returns the RewardBench v1 schema, loaded from the resource {@value #V1_RESOURCE}.
     *
     * @throws IllegalStateException when the resource is missing or malformed, which means a broken
     *     build
     */
    public static RewardBenchSchema v1() {
        return V1Holder.SCHEMA;
    }

    /**
     * Creates a schema from sections, for custom benchmarks and tests.
     *
     * @param source where the counts come from, for reports
     * @param sections the sections in report order
     * @throws IllegalArgumentException when a section name or a subset appears twice
     */
    public static RewardBenchSchema of(String source, List<Section> sections) {
        return new RewardBenchSchema(source, sections);
    }

    /**
     * Reads a schema in the layout of the v1 resource: an object with {@code EXAMPLE_COUNTS}
     * (subset to count), {@code SUBSET_MAPPING} (section to list of subsets) and an optional
     * {@code source} string.
     *
     * @param json the JSON text
     * @return the schema, with sections in the order of {@code SUBSET_MAPPING}
     * @throws IllegalArgumentException when a field is missing, a mapped subset has no count, or a
     *     counted subset belongs to no section
     */
    public static RewardBenchSchema fromJson(Reader json) {
        JsonObject root;
        try {
            root = JsonParser.parseReader(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("RewardBench schema is not a JSON object: " + e.getMessage(), e);
        }
        JsonObject counts = requireObject(root, "EXAMPLE_COUNTS");
        JsonObject mapping = requireObject(root, "SUBSET_MAPPING");
        List<Section> sections = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : mapping.entrySet()) {
            sections.add(toSection(entry.getKey(), entry.getValue(), counts));
        }
        RewardBenchSchema schema = new RewardBenchSchema(sourceOf(root), sections);
        for (String subset : counts.keySet()) {
            if (!schema.contains(subset)) {
                throw new IllegalArgumentException("EXAMPLE_COUNTS has subset '" + subset
                        + "', which SUBSET_MAPPING puts in no section");
            }
        }
        return schema;
    }

    /** Returns where the subsets and counts come from. */
    public String source() {
        return source;
    }

    /** Returns the sections in report order. */
    public List<Section> sections() {
        return sections;
    }

    /** Returns the section with this name, if there is one. */
    public Optional<Section> section(String name) {
        return sections.stream().filter(section -> section.name().equals(name)).findFirst();
    }

    /** Returns all subset names, section by section. */
    public List<String> subsets() {
        return List.copyOf(sectionOfSubset.keySet());
    }

    /** Tells whether {@code subset} belongs to a section of this schema. */
    public boolean contains(String subset) {
        return sectionOfSubset.containsKey(subset);
    }

    /** Returns the section that contains {@code subset}, if any. */
    public Optional<Section> sectionOf(String subset) {
        return Optional.ofNullable(sectionOfSubset.get(subset));
    }

    /**
     * Returns the example count that weights {@code subset} in its section.
     *
     * @throws IllegalArgumentException when the subset is not in this schema
     */
    public int exampleCount(String subset) {
        Section section = sectionOfSubset.get(subset);
        if (section == null) {
            throw new IllegalArgumentException("unknown RewardBench subset '" + subset + "'");
        }
        return section.exampleCount(subset);
    }

    private static Section toSection(String name, JsonElement subsets, JsonObject counts) {
        if (!subsets.isJsonArray()) {
            throw new IllegalArgumentException("SUBSET_MAPPING['" + name + "'] must be an array of subset names");
        }
        Map<String, Integer> sectionCounts = new LinkedHashMap<>();
        for (JsonElement element : subsets.getAsJsonArray()) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("SUBSET_MAPPING['" + name + "'] has " + element
                        + "; expected subset names as strings");
            }
            String subset = element.getAsString();
            if (sectionCounts.put(subset, countOf(subset, counts)) != null) {
                throw new IllegalArgumentException("SUBSET_MAPPING['" + name + "'] lists '" + subset + "' twice");
            }
        }
        return new Section(name, sectionCounts);
    }

    private static int countOf(String subset, JsonObject counts) {
        JsonElement count = counts.get(subset);
        if (count == null || !count.isJsonPrimitive() || !count.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("EXAMPLE_COUNTS has no number for subset '" + subset + "'");
        }
        try {
            return count.getAsBigDecimal().intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("EXAMPLE_COUNTS['" + subset + "'] must be an integer, got " + count, e);
        }
    }

    private static JsonObject requireObject(JsonObject root, String field) {
        JsonElement value = root.get(field);
        if (value == null || !value.isJsonObject()) {
            throw new IllegalArgumentException("RewardBench schema needs an object field '" + field + "'");
        }
        return value.getAsJsonObject();
    }

    private static String sourceOf(JsonObject root) {
        JsonElement source = root.get("source");
        return source != null && source.isJsonPrimitive() ? source.getAsString() : "unknown";
    }

    /** Loads the v1 schema once, on first use. */
    private static final class V1Holder {
        static final RewardBenchSchema SCHEMA = load();

        private static RewardBenchSchema load() {
            try (InputStream in = RewardBenchSchema.class.getResourceAsStream(V1_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + V1_RESOURCE + " is missing next to "
                            + RewardBenchSchema.class.getName() + "; the evaluation jar is incomplete");
                }
                return fromJson(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read resource " + V1_RESOURCE, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("resource " + V1_RESOURCE + " is malformed: " + e.getMessage(), e);
            }
        }
    }
}
