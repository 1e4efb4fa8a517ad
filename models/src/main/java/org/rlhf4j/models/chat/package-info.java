/**
 * Chat templates that turn a conversation and a candidate response into the text a reward model
 * scores.
 */
package org.rlhf4j.models.chat;
