/** The Llama decoder written with DJL NDArray operators, and its configuration read from GGUF metadata. */
package org.rlhf4j.models.llama;
