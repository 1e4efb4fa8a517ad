/**
 * Data-parallel training over several devices of one node: one model replica per device, batches
 * split across the replicas, gradients summed on the first device and weights copied back after
 * each optimizer step.
 */
package org.rlhf4j.algorithms.parallel;
