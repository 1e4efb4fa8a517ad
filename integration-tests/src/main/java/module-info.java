/**
 * End-to-end tests of rlhf4j. The module has no code of its own: it exists so that the tests run
 * as a named module on the module path, where plugin folders resolve against the rlhf4j modules.
 */
module org.rlhf4j.integration {
    requires org.rlhf4j.api;
    requires org.rlhf4j.cli;
    requires org.rlhf4j.hardware;
    requires org.rlhf4j.plugins;
    requires org.rlhf4j.models;
    requires org.rlhf4j.algorithms;
    requires info.picocli;
    requires com.google.gson;
    requires org.slf4j;
}
