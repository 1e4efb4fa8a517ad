/** Reader machinery shared by the built-in sources; not exported. */
package org.rlhf4j.data.internal;
