/**
 * PNG plots drawn with Java2D on a {@link java.awt.image.BufferedImage}, which needs no display:
 * {@link org.rlhf4j.evaluation.plot.LinePlot} and {@link org.rlhf4j.evaluation.plot.Histogram},
 * and the ready-made {@link org.rlhf4j.evaluation.plot.TrainingCurves} and
 * {@link org.rlhf4j.evaluation.plot.MarginHistogram}. Every file is written atomically.
 */
package org.rlhf4j.evaluation.plot;
