/**
 * Entry points of the data module: {@link org.rlhf4j.data.DataSources} finds a built-in source
 * by plugin name, {@link org.rlhf4j.data.Splits} makes a deterministic held-out split, and
 * {@link org.rlhf4j.data.DropReasons} lists the reason keys that readers count in
 * {@link org.rlhf4j.api.data.ReadStats}.
 */
package org.rlhf4j.data;
