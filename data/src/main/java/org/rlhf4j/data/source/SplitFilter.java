package org.rlhf4j.data.source;

/** Filter on the {@code split} column that decides which rows a source keeps. */
public enum SplitFilter {
    /** Every row, whatever its split. */
    ALL,
    /** Only rows whose split is {@code "train"}. */
    TRAIN,
    /**
     * Only rows whose split is not {@code "train"}. HelpSteer2-Preference writes {@code "val"};
     * NeMo-Aligner also treats every split other than {@code "train"} as validation.
     */
    VALIDATION;

    /** Tells whether a row with this split value is kept. */
    public boolean accepts(String split) {
        switch (this) {
            case TRAIN:
                return "train".equals(split);
            case VALIDATION:
                return !"train".equals(split);
            default:
                return true;
        }
    }
}
