package org.rlhf4j.pipeline.recipe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads typed values from one JSON object and remembers which keys were read, so that unknown keys
 * can be rejected by name. Every error names the source and the dotted key path.
 */
final class JsonFields {

    private final String source;
    private final String path;
    private final JsonObject object;
    private final Set<String> known = new LinkedHashSet<>();

    JsonFields(String source, String path, JsonElement element) {
        this.source = source;
        this.path = path;
        if (element == null || !element.isJsonObject()) {
            throw new RecipeFormatException(source, path, "expected a JSON object, got " + describe(element));
        }
        this.object = element.getAsJsonObject();
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    String source() {
        return source;
    }

    boolean has(String name) {
        known.add(name);
        return object.has(name) && !object.get(name).isJsonNull();
    }

    String string(String name) {
        JsonPrimitive value = primitive(name, "a string");
        if (!value.isString()) {
            throw new RecipeFormatException(source, key(name), "expected a string, got " + value);
        }
        return value.getAsString();
    }

    String optString(String name, String fallback) {
        return has(name) ? string(name) : fallback;
    }

    double number(String name, double min, double max) {
        JsonPrimitive value = primitive(name, "a number");
        if (!value.isNumber()) {
            throw new RecipeFormatException(source, key(name), "expected a number, got " + value);
        }
        double number = value.getAsDouble();
        if (!(number >= min && number <= max)) {
            throw new RecipeFormatException(source, key(name),
                    "expected a number in [" + min + ", " + max + "], got " + value);
        }
        return number;
    }

    double optNumber(String name, double min, double max, double fallback) {
        return has(name) ? number(name, min, max) : fallback;
    }

    int integer(String name, int min, int max) {
        JsonPrimitive value = primitive(name, "an integer");
        if (!value.isNumber() || !value.getAsString().matches("-?\\d+")) {
            throw new RecipeFormatException(source, key(name), "expected an integer, got " + value);
        }
        long number = value.getAsLong();
        if (number < min || number > max) {
            throw new RecipeFormatException(source, key(name),
                    "expected an integer in [" + min + ", " + max + "], got " + value);
        }
        return (int) number;
    }

    int optInteger(String name, int min, int max, int fallback) {
        return has(name) ? integer(name, min, max) : fallback;
    }

    List<String> strings(String name) {
        JsonArray array = array(name);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement element = array.get(i);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new RecipeFormatException(source, key(name) + "[" + i + "]", "expected a string, got " + element);
            }
            values.add(element.getAsString());
        }
        return values;
    }

    JsonArray array(String name) {
        known.add(name);
        JsonElement element = object.get(name);
        if (element == null || !element.isJsonArray()) {
            throw new RecipeFormatException(source, key(name), "expected a JSON array, got " + describe(element));
        }
        return element.getAsJsonArray();
    }

    JsonFields child(String name) {
        known.add(name);
        return new JsonFields(source, key(name), object.get(name));
    }

    /** Rejects any key of the object that no accessor asked for. */
    void rejectUnknownKeys() {
        for (String name : object.keySet()) {
            if (!known.contains(name)) {
                throw new RecipeFormatException(source, key(name), "unknown key; known keys here are " + known);
            }
        }
    }

    private JsonPrimitive primitive(String name, String expected) {
        known.add(name);
        JsonElement element = object.get(name);
        if (element == null || element.isJsonNull()) {
            throw new RecipeFormatException(source, key(name), "missing; expected " + expected);
        }
        if (!element.isJsonPrimitive()) {
            throw new RecipeFormatException(source, key(name), "expected " + expected + ", got " + element);
        }
        return element.getAsJsonPrimitive();
    }

    private static String describe(JsonElement element) {
        return element == null ? "nothing (the key is missing)" : element.toString();
    }
}
