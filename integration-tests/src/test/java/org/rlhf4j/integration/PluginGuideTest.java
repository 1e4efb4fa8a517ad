package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The listings of {@code docs/plugins.md} are the example plugin's files, so the guide shows code
 * that the other tests compile and run.
 */
class PluginGuideTest {

    /** A line {@code `path`:}, a blank line, then a fenced java or xml block. */
    private static final Pattern LISTING = Pattern.compile("^`([^`]+)`:\\n\\n```(?:java|xml)\\n(.*?)```\\n",
            Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void listingsMatchExamplePlugin() throws IOException {
        Map<String, String> listings = listings();
        Path example = Path.of(System.getProperty("rlhf4j.example.plugin.sources", "example-plugin/src/main/java"))
                .getParent().getParent().getParent();

        assertThat(listings).containsOnlyKeys("pom.xml", "src/main/java/module-info.java",
                "src/main/java/com/example/rlhf4j/plugin/HingeLoss.java",
                "src/main/java/com/example/rlhf4j/plugin/TsvPairsSource.java",
                "src/main/java/com/example/rlhf4j/plugin/TsvPairsReader.java");
        for (Map.Entry<String, String> listing : listings.entrySet()) {
            assertThat(listing.getValue()).as("listing of %s in docs/plugins.md", listing.getKey())
                    .isEqualTo(Files.readString(example.resolve(listing.getKey())));
        }
    }

    private static Map<String, String> listings() throws IOException {
        Path guide = Path.of(System.getProperty("rlhf4j.docs.dir", "../docs"), "plugins.md");
        assumeTrue(Files.isRegularFile(guide), "No plugin guide at " + guide.toAbsolutePath());
        Matcher matcher = LISTING.matcher(Files.readString(guide));
        Map<String, String> listings = new LinkedHashMap<>();
        while (matcher.find()) {
            listings.put(matcher.group(1), matcher.group(2));
        }
        return listings;
    }
}
