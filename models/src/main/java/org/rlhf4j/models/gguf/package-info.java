/**
 * Reader for GGUF model files (versions 2 and 3): metadata, tensor descriptions and F32/F16
 * tensor data loaded into DJL arrays.
 */
package org.rlhf4j.models.gguf;
