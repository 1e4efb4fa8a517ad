package org.rlhf4j.algorithms.regression;

/**
 * Regression quality of one head slot over the examples labelled for it, in the rating units of
 * the data (targets are mapped back through the slot's scale and offset).
 *
 * @param attribute the attribute name
 * @param slot the head output index
 * @param count number of examples labelled for the slot
 * @param rmse root mean squared error of the predictions
 * @param meanRating mean of the ratings
 * @param meanPrediction mean of the predictions
 */
public record AttributeReport(String attribute, int slot, int count, double rmse, double meanRating,
        double meanPrediction) {}
