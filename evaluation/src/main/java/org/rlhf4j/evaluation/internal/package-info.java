/**
 * Strict JSON reading and atomic file writing shared by the evaluation packages; not exported.
 */
package org.rlhf4j.evaluation.internal;
