package org.rlhf4j.evaluation.plot;

import java.awt.Color;
import java.util.List;

/** The colours of the plots: a series palette (Tableau 10, as in matplotlib), bars and the zero marker. */
public final class PlotColors {

    /** Line colours, used in order and repeated after the tenth series. */
    public static final List<Color> SERIES = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf));

    /** Fill colour of histogram bars. */
    public static final Color BAR = new Color(0x4c72b0);

    /** Colour of the vertical marker at zero in histograms. */
    public static final Color ZERO_MARKER = new Color(0xc44e52);

    static final Color BACKGROUND = Color.WHITE;
    static final Color TEXT = new Color(0x222222);
    static final Color AXIS = new Color(0x444444);
    static final Color GRID = new Color(0xe3e3e3);

    private PlotColors() {
    }

    /** Returns the colour of the series at {@code index} (0-based). */
    public static Color series(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("series index must be non-negative, got " + index);
        }
        return SERIES.get(index % SERIES.size());
    }
}
