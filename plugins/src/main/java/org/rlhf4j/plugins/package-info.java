/**
 * Finds plugins on the module path, on the class path and in a plugin folder, checks them, and
 * offers them by kind and name through {@link org.rlhf4j.plugins.PluginRegistry}.
 *
 * <pre>{@code
 * PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(folder).build().discover();
 * RewardLoss loss = registry.rewardLoss("scaled-bt");
 * }</pre>
 */
package org.rlhf4j.plugins;
