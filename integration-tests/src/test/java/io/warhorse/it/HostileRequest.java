package io.warhorse.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fixture of src/test/resources/hostile (its README.txt gives the format): the bytes to send, the answers
 * expected in order, and what must become of the connection.
 *
 * @param statuses each answer's accepted statuses ("400", "4xx", "none" for a close without an answer)
 * @param after    "close", "keep" or "any"
 */
record HostileRequest(String name, byte[] bytes, List<List<String>> statuses, String after, String header,
                      String absentHeader) {

    private static final Pattern REPEAT = Pattern.compile("<<(\\d+)\\*(.*?)>>");

    static HostileRequest read(Path file) throws IOException {
        List<List<String>> statuses = null;
        String after = null;
        String header = null;
        String absent = null;
        StringBuilder send = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("expect:")) {
                List<String> words = List.of(line.substring(7).strip().split("\\s+"));
                after = words.getLast();
                statuses = words.subList(0, words.size() - 1).stream().map(word -> List.of(word.split("\\|"))).toList();
            } else if (line.startsWith("header:")) {
                header = line.substring(7).strip();
            } else if (line.startsWith("no-header:")) {
                absent = line.substring(10).strip();
            } else if (line.startsWith("send:")) {
                send.append(line.substring(5).stripLeading());
            } else if (!line.startsWith("#") && !line.isBlank()) {
                throw new IllegalArgumentException(file + ": not a fixture line: " + line);
            }
        }
        if (statuses == null || !List.of("close", "keep", "any").contains(after) || send.isEmpty()) {
            throw new IllegalArgumentException(file + ": needs 'expect: STATUS... close|keep|any' and 'send:'");
        }
        return new HostileRequest(file.getFileName().toString(), unescape(expand(send.toString())), statuses, after,
                header, absent);
    }

    boolean accepts(int index, String status) {
        for (String expected : statuses.get(index)) {
            boolean classMatch = expected.endsWith("xx") && status.length() == 3 && status.charAt(0) == expected.charAt(0);
            if (expected.equals(status) || classMatch) {
                return true;
            }
        }
        return false;
    }

    private static String expand(String text) {
        Matcher repeat = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (repeat.find()) {
            StringBuilder copies = new StringBuilder();
            for (int i = 0; i < Integer.parseInt(repeat.group(1)); i++) {
                copies.append(repeat.group(2).replace("#", Integer.toString(i)));
            }
            repeat.appendReplacement(out, Matcher.quoteReplacement(copies.toString()));
        }
        return repeat.appendTail(out).toString();
    }

    private static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.write(c); // fixtures are ASCII; a byte above 0x7f is written with \xHH
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next);
            }
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}
