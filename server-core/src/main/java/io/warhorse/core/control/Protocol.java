package io.warhorse.core.control;

import io.warhorse.core.control.Message.Answer;
import io.warhorse.core.control.Message.Beat;
import io.warhorse.core.control.Message.Bye;
import io.warhorse.core.control.Message.Command;
import io.warhorse.core.control.Message.Hello;
import io.warhorse.core.control.Message.Metrics;
import io.warhorse.core.control.Message.Operation;
import io.warhorse.core.control.Message.Ready;
import io.warhorse.core.control.Message.Unready;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one parser and the one encoder of the control protocol: one UTF-8 line per {@link Message}, words apart by
 * one space, at most {@link #MAX_LINE} bytes. Every line a peer sends is hostile until {@link #parse} accepted it;
 * anything else is a {@link ProtocolException} naming the problem, never another exception. Stateless; any thread.
 *
 * <pre>
 * hello VERSION ID PID KIND SECRET     worker, first line
 * ready | beat REQUESTS IN_FLIGHT | metrics JSON | bye
 * unready                               master to worker
 * ctl VERSION COMMAND [N]               operator, the only line
 * </pre>
 */
public final class Protocol {

    /** Raised when a message changes meaning; a peer of another version is refused at its first line. */
    public static final int VERSION = 1;
    /** The longest line, in bytes with its newline; a metrics snapshot of a worker with many apps is ~20 KiB. */
    public static final int MAX_LINE = 1 << 20;
    /** An error answer starts so; {@code warhorse ctl} exits 1 on it. */
    public static final String ERROR = "error: ";

    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SECRET = Pattern.compile("[0-9a-f]{16,128}");

    private Protocol() {}

    /** The line for {@code message}, without its newline. */
    public static String encode(Message message) {
        return switch (message) {
            case Hello h -> "hello " + h.version() + " " + h.id() + " " + h.pid() + " " + h.kind() + " " + h.secret();
            case Ready r -> "ready";
            case Beat b -> "beat " + b.requests() + " " + b.inFlight();
            case Metrics m -> "metrics " + m.json();
            case Bye b -> "bye";
            case Unready u -> "unready";
            case Command c -> "ctl " + c.version() + " " + c.operation().word() + (c.operation() == Operation.SCALE ? " " + c.count() : "");
            case Answer a -> (a.error() ? ERROR : "") + a.text();
        };
    }

    /** The message {@code line} (without its newline) says; an {@link Answer} is not a line and is never parsed here. */
    public static Message parse(String line) throws ProtocolException {
        checkCharacters(line);
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "hello" -> hello(words(rest, 5, verb));
            case "ready" -> bare(rest, verb, new Ready());
            case "beat" -> beat(words(rest, 2, verb));
            case "metrics" -> metrics(rest);
            case "bye" -> bare(rest, verb, new Bye());
            case "unready" -> bare(rest, verb, new Unready());
            case "ctl" -> command(rest);
            default -> throw new ProtocolException("unknown message '" + shorten(verb) + "'");
        };
    }

    private static Hello hello(String[] words) throws ProtocolException {
        int version = version(words[0]);
        int id = (int) Math.min(Integer.MAX_VALUE, number(words[1], "worker id"));
        long pid = number(words[2], "pid");
        if (!KIND.matcher(words[3]).matches() || !SECRET.matcher(words[4]).matches()) {
            throw new ProtocolException("hello: malformed kind or secret");
        }
        return new Hello(version, id, pid, words[3], words[4]);
    }

    private static Beat beat(String[] words) throws ProtocolException {
        return new Beat(number(words[0], "request count"), number(words[1], "in-flight count"));
    }

    private static Metrics metrics(String json) throws ProtocolException {
        if (!json.startsWith("{") || !json.endsWith("}")) {
            throw new ProtocolException("metrics: not a JSON object");
        }
        return new Metrics(json);
    }

    private static Command command(String rest) throws ProtocolException {
        String[] words = rest.split(" ", -1);
        if (words.length < 2 || words.length > 3) {
            throw new ProtocolException("ctl: expected 'ctl VERSION COMMAND [N]'");
        }
        int version = version(words[0]);
        Operation operation = Arrays.stream(Operation.values()).filter(op -> op.word().equals(words[1])).findFirst()
                .orElseThrow(() -> new ProtocolException("unknown command '" + shorten(words[1]) + "'; commands: "
                        + String.join(", ", Arrays.stream(Operation.values()).map(Operation::word).toList())));
        boolean counted = operation == Operation.SCALE;
        if (counted != (words.length == 3)) {
            throw new ProtocolException(counted ? "usage: scale N (N >= 1)" : operation.word() + " takes no argument");
        }
        int count = counted ? (int) Math.min(10_000, number(words[2], "worker count")) : 0;
        if (counted && count < 1) {
            throw new ProtocolException("usage: scale N (N >= 1)");
        }
        return new Command(version, operation, count);
    }

    private static <M extends Message> M bare(String rest, String verb, M message) throws ProtocolException {
        if (!rest.isEmpty()) {
            throw new ProtocolException(verb + " takes no argument");
        }
        return message;
    }

    private static String[] words(String rest, int count, String verb) throws ProtocolException {
        String[] words = rest.split(" ", -1);
        if (words.length != count || rest.isEmpty()) {
            throw new ProtocolException(verb + ": expected " + count + " words after it, got " + (rest.isEmpty() ? 0 : words.length));
        }
        return words;
    }

    private static int version(String word) throws ProtocolException {
        long version = number(word, "protocol version");
        if (version != VERSION) {
            throw new ProtocolException("protocol version " + version + "; this master speaks " + VERSION
                    + " (a worker or warhorse ctl of another warhorse version?)");
        }
        return VERSION;
    }

    private static long number(String word, String what) throws ProtocolException {
        if (!NUMBER.matcher(word).matches()) {
            throw new ProtocolException(what + " is not a number: '" + shorten(word) + "'");
        }
        return Long.parseLong(word);
    }

    private static void checkCharacters(String line) throws ProtocolException {
        if (line.length() + 1 > MAX_LINE) {
            throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) < 0x20 || line.charAt(i) == 0x7f) {
                throw new ProtocolException(String.format(Locale.ROOT, "control character 0x%02x at %d", (int) line.charAt(i), i));
            }
        }
    }

    /** A peer's word as it may appear in a log line: short and printable. */
    static String shorten(String word) {
        String printable = word.codePoints().limit(40)
                .map(c -> c < 0x20 || c == 0x7f || Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return word.codePointCount(0, word.length()) > 40 ? printable + "..." : printable;
    }
}
