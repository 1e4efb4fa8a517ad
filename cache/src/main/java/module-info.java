/**
 * Arrow IPC cache of tokenized preference data sets.
 *
 * <p>Writing the cache files needs {@code --add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED}
 * on the Java command line, because Arrow wraps its off-heap buffers in {@code java.nio.ByteBuffer}s.
 */
module org.rlhf4j.cache {
    requires transitive org.rlhf4j.algorithms;
    requires org.apache.arrow.vector;
    requires org.apache.arrow.memory.core;
    // Arrow loads its allocator reflectively, so nothing else would resolve this module on the module path.
    requires org.apache.arrow.memory.unsafe;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.cache;
}
