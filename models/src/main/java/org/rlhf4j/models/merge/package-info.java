/**
 * Weight-space merging of saved reward models: model extrapolation (ExPO), which moves a strong
 * model further along the direction from a weaker model to it.
 */
package org.rlhf4j.models.merge;
