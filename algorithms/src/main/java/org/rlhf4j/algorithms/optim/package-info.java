/** The AdamW optimizer, gradient clipping and learning-rate schedules used by the trainers. */
package org.rlhf4j.algorithms.optim;
