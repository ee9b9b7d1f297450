package io.warhorse.core.control;

import java.util.Random;

/**
 * Random bytes and mutations of valid lines, for the protocol's fuzz tests (here and end to end). Its words name no
 * operator command but status: a mutation must not stop or reload the master the end-to-end test fuzzes.
 */
public final class Fuzz {

    private static final String[] WORDS = {"hello", "ready", "beat", "metrics", "bye", "unready", "ctl", "1", "0", "-1",
            "99999999999999999999", "status", "{", "}", " ", "  ", "\u0000", "\u00e9", "\uFFFF"};

    private Fuzz() {}

    public static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code line} with one to three edits: a character changed, dropped, doubled, a word inserted, or cut short. */
    public static String mutate(String line, Random random) {
        StringBuilder text = new StringBuilder(line);
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length());
            switch (random.nextInt(5)) {
                case 0 -> { if (!text.isEmpty()) text.setCharAt(at, (char) random.nextInt(0x250)); }
                case 1 -> { if (!text.isEmpty()) text.deleteCharAt(at); }
                case 2 -> text.insert(at, text.isEmpty() ? "" : text.substring(at, Math.min(text.length(), at + 1 + random.nextInt(8))));
                case 3 -> text.insert(at, WORDS[random.nextInt(WORDS.length)]);
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }
}
