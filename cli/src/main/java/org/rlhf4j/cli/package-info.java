/** The {@code rlhf4j} command line: one picocli command per job. */
package org.rlhf4j.cli;
