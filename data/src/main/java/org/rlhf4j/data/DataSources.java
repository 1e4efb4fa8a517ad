package org.rlhf4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.rlhf4j.api.data.DataSource;

/**
 * Finds data sources by plugin name through {@link ServiceLoader}.
 *
 * <p>On the module path the sources are looked up in the module layer of this module and its
 * parent layers, so sources of modules in the same or a parent layer are found too; on the class
 * path they are looked up through this class's class loader and {@code META-INF/services}.
 */
public final class DataSources {

    private DataSources() {
    }

    /**
     * Returns a new instance of the source with plugin name {@code name}, for example
     * {@code "hh-rlhf"}.
     *
     * @param name the plugin name
     * @return the source
     * @throws IllegalArgumentException when no source has that name; the message lists the known
     *     names
     */
    public static DataSource<?> forName(String name) {
        for (DataSource<?> source : load()) {
            if (source.name().equals(name)) {
                return source;
            }
        }
        throw new IllegalArgumentException("Unknown data source '" + name + "'; known sources: " + names());
    }

    /**
     * Returns the source with plugin name {@code name}, checked to produce {@code recordType}
     * records.
     *
     * @param name the plugin name
     * @param recordType the expected record class, such as {@code PreferencePair.class}
     * @return the source
     * @throws IllegalArgumentException when no source has that name, or it produces other records
     */
    @SuppressWarnings("unchecked")
    public static <T> DataSource<T> forName(String name, Class<T> recordType) {
        DataSource<?> source = forName(name);
        if (source.kind().recordType() != recordType) {
            throw new IllegalArgumentException("Data source '" + name + "' produces "
                    + source.kind().recordType().getSimpleName() + " records, not " + recordType.getSimpleName());
        }
        return (DataSource<T>) source;
    }

    /** Returns the plugin names of all sources found, sorted. */
    public static List<String> names() {
        TreeMap<String, DataSource<?>> byName = new TreeMap<>();
        for (DataSource<?> source : load()) {
            byName.putIfAbsent(source.name(), source);
        }
        return List.copyOf(byName.keySet());
    }

    private static List<DataSource<?>> load() {
        List<DataSource<?>> sources = new ArrayList<>();
        for (DataSource<?> source : loader()) {
            sources.add(source);
        }
        return sources;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServiceLoader<DataSource<?>> loader() {
        Class<DataSource<?>> type = (Class) DataSource.class;
        Module module = DataSources.class.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            return ServiceLoader.load(module.getLayer(), type);
        }
        return ServiceLoader.load(type, DataSources.class.getClassLoader());
    }
}
