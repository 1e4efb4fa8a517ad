/** Durable file writing shared by saved models, merged models and training checkpoints. */
package org.rlhf4j.models.io;
