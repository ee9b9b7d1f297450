package io.warhorse.core.edge;

import io.undertow.util.HeaderValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One element of an RFC 7239 {@code Forwarded} header: what one proxy saw ({@code for}, {@code proto},
 * {@code host}; {@code by} is not used). Values may be quoted; an element with a malformed pair is dropped
 * with the rest of the header. Any thread.
 */
record ForwardedElement(String forAddress, String proto, String host) {

    /** Every element of every Forwarded header, in order; empty if there is none or one is malformed. */
    static List<ForwardedElement> parse(HeaderValues headers) {
        List<ForwardedElement> elements = new ArrayList<>();
        if (headers == null) {
            return elements;
        }
        for (String header : headers) {
            for (String element : split(header, ',')) {
                ForwardedElement parsed = element(element);
                if (parsed == null) {
                    return List.of();
                }
                elements.add(parsed);
            }
        }
        return elements;
    }

    private static ForwardedElement element(String text) {
        String forAddress = "";
        String proto = null;
        String host = null;
        for (String pair : split(text, ';')) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                return null;
            }
            String name = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String value = unquote(pair.substring(equals + 1).strip());
            switch (name) {
                case "for" -> forAddress = value;
                case "proto" -> proto = value;
                case "host" -> host = value;
                default -> { } // by and extensions
            }
        }
        return new ForwardedElement(forAddress, proto, host);
    }

    /** Splits on {@code separator} outside double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"");
        }
        return value;
    }
}
