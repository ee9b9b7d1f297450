package io.warhorse.core.deploy;

import java.util.List;
import java.util.Map;

/**
 * An annotation as a class file records it: the binary name of its type and the attributes the source set.
 * Attributes left at their defaults are absent (a class file holds only what the source wrote), so each accessor
 * takes a fallback; a value of another kind than asked for (only a forged class file has one) reads as absent too.
 * Made by {@link ClassFileReader} on the deploying thread; immutable.
 *
 * @param type   the annotation type's binary name ({@code jakarta.servlet.annotation.WebServlet})
 * @param values the attributes set: {@link String}, {@link Integer}, {@link Long}, {@link Boolean}, {@link Byte},
 *               {@link Short}, {@link Character}, {@link Float}, {@link Double}, {@link EnumConstant},
 *               {@link ClassLiteral}, a nested {@code ScannedAnnotation}, or an unmodifiable {@link List} of those
 *               for an array
 */
record ScannedAnnotation(String type, Map<String, Object> values) {

    /** An enum constant, such as {@code DispatcherType.FORWARD} in {@code dispatcherTypes}. */
    record EnumConstant(String type, String name) {}

    /** A class literal, as the class file spells its type: {@code Lcom/acme/Plugin;}, {@code I}, {@code [J}. */
    record ClassLiteral(String descriptor) {}

    ScannedAnnotation {
        values = Map.copyOf(values);
    }

    /** A string attribute; an empty one counts as absent, as the servlet annotations mean it. */
    String text(String name, String fallback) {
        return values.get(name) instanceof String text && !text.isEmpty() ? text : fallback;
    }

    int integer(String name, int fallback) {
        return values.get(name) instanceof Integer number ? number : fallback;
    }

    long longValue(String name, long fallback) {
        return values.get(name) instanceof Long number ? number : fallback;
    }

    boolean flag(String name, boolean fallback) {
        return values.get(name) instanceof Boolean flag ? flag : fallback;
    }

    /** An array attribute's elements (a single value counts as an array of one), empty when absent. */
    List<?> array(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list : List.of(value);
    }

    List<String> strings(String name) {
        return elements(name, String.class);
    }

    /** The nested annotations of an array attribute, such as {@code initParams}' {@code @WebInitParam}s. */
    List<ScannedAnnotation> annotations(String name) {
        return elements(name, ScannedAnnotation.class);
    }

    /** The names of the enum constants of an array attribute, such as {@code dispatcherTypes}' "FORWARD". */
    List<String> enumNames(String name) {
        return elements(name, EnumConstant.class).stream().map(EnumConstant::name).toList();
    }

    private <T> List<T> elements(String name, Class<T> kind) {
        return array(name).stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
