package org.rlhf4j.pipeline.recipe;

/** A recipe file that is not valid JSON or whose keys or values do not have the expected form. */
public class RecipeFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception for one bad key.
     *
     * @param source the file or resource that was read
     * @param key the dotted path of the offending key, for example {@code stages[1].learning_rate}
     * @param problem what is wrong and what was expected
     */
    public RecipeFormatException(String source, String key, String problem) {
        super(source + ": " + (key.isEmpty() ? "" : "key '" + key + "': ") + problem);
    }
}
