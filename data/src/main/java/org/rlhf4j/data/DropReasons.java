package org.rlhf4j.data;

/**
 * Reason keys that the built-in readers pass to
 * {@link org.rlhf4j.api.data.ReadStats#countDropped(String)}.
 */
public final class DropReasons {

    /** A record that is not valid JSON, lacks a required field or has a value of the wrong form. */
    public static final String MALFORMED = "malformed";

    /** A line longer than {@link org.rlhf4j.api.data.ReadOptions#maxLineChars()}. */
    public static final String TOO_LONG = "too-long";

    /** A HelpSteer2-Preference row with strength 0, dropped unless ties are kept. */
    public static final String TIE = "tie";

    /** A pair whose chosen and rejected texts are equal after normalization. */
    public static final String IDENTICAL = "identical";

    /** A row whose {@code split} the source's split filter excludes. */
    public static final String OTHER_SPLIT = "other-split";

    private DropReasons() {
    }
}
