package org.rlhf4j.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses lowercase option values into enum constants with an error that lists the valid values. */
final class Enums {

    private Enums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return constant;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Invalid value '" + value + "' for " + option + "; expected one of: " + valid);
    }
}
