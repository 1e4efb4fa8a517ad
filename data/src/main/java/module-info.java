/**
 * Streaming readers for preference pairs and rated responses, each a data-source plugin.
 *
 * <p>The built-in sources are {@code helpsteer2-preference}, {@code helpsteer2}, {@code pairs},
 * {@code hh-rlhf}, {@code instruction-preference}, {@code oasst2} and {@code oasst2-pairs};
 * {@link org.rlhf4j.data.DataSources} finds them by name.
 */
module org.rlhf4j.data {
    requires transitive org.rlhf4j.api;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.data;
    exports org.rlhf4j.data.source;

    uses org.rlhf4j.api.data.DataSource;

    provides org.rlhf4j.api.data.DataSource with
            org.rlhf4j.data.source.HelpSteer2PreferenceSource,
            org.rlhf4j.data.source.HelpSteer2Source,
            org.rlhf4j.data.source.PairsSource,
            org.rlhf4j.data.source.HhRlhfSource,
            org.rlhf4j.data.source.InstructionPreferenceSource,
            org.rlhf4j.data.source.Oasst2Source,
            org.rlhf4j.data.source.Oasst2PairsSource;
}
