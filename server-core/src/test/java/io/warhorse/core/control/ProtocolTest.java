package io.warhorse.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.control.Message.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one parser and encoder: every message round-trips; every other line is a {@link ProtocolException}. */
class ProtocolTest {

    private static final String SECRET = "0123456789abcdef".repeat(4);

    static final List<Message> EVERY_MESSAGE = List.of(
            new Message.Hello(Protocol.VERSION, 7, 4242, "virtual", SECRET), new Message.Ready(), new Message.Beat(12, 3),
            new Message.Metrics("{\"requests\":{\"count\":3}}"), new Message.Bye(), new Message.Unready(),
            new Message.Command(Operation.STATUS), new Message.Command(Protocol.VERSION, Operation.SCALE, 3),
            new Message.Command(Operation.QUICK_STOP), new Message.Command(Operation.REOPEN_LOGS));

    @Test
    void everyMessageRoundTrips() throws ProtocolException {
        for (Message message : EVERY_MESSAGE) {
            assertEquals(message, Protocol.parse(Protocol.encode(message)), Protocol.encode(message));
        }
        assertEquals("ctl 1 quick-stop", Protocol.encode(new Message.Command(Operation.QUICK_STOP)));
    }

    @Test
    void theSecretStaysOutOfTheMessagesText() {
        assertTrue(!new Message.Hello(1, 1, 1, "sync", SECRET).toString().contains(SECRET));
    }

    @Test
    void malformedUnknownAndOtherVersionsAreRefusedWithTheReason() {
        assertRefused("hello", "hello: expected 5 words");
        assertRefused("hello 1 2 3 virtual", "hello: expected 5 words");
        assertRefused("hello 2 1 1 virtual " + SECRET, "protocol version 2; this master speaks 1");
        assertRefused("hello 1 x 1 virtual " + SECRET, "worker id is not a number: 'x'");
        assertRefused("hello 1 1 1 vir/tual " + SECRET, "malformed kind or secret");
        assertRefused("hello 1 1 1 virtual NOTHEX", "malformed kind or secret");
        assertRefused("beat 1", "beat: expected 2 words");
        assertRefused("beat -1 0", "request count is not a number");
        assertRefused("beat 99999999999999999999 0", "request count is not a number");
        assertRefused("ready now", "ready takes no argument");
        assertRefused("metrics [1]", "metrics: not a JSON object");
        assertRefused("", "unknown message ''");
        assertRefused("status", "unknown message 'status'");
        assertRefused("ctl 1 explode", "unknown command 'explode'; commands: status, reload, scale");
        assertRefused("ctl 1 scale", "usage: scale N");
        assertRefused("ctl 1 scale 0", "usage: scale N");
        assertRefused("ctl 1 status 3", "status takes no argument");
        assertRefused("ctl 9 status", "protocol version 9");
        assertRefused("beat 1\t2", "control character 0x09 at 6");
        assertRefused("x".repeat(Protocol.MAX_LINE), "line longer than");
    }

    private static void assertRefused(String line, String reason) {
        ProtocolException refused = assertThrows(ProtocolException.class, () -> Protocol.parse(line), line);
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    /** Random and mutated lines: the parser answers each with a message or a ProtocolException, nothing else. */
    @Test
    void randomAndMutatedLinesNeverThrowAnythingElse() {
        Random random = new Random(11);
        List<String> seeds = EVERY_MESSAGE.stream().map(Protocol::encode).toList();
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            String line = i % 2 == 0 ? Fuzz.mutate(seeds.get(random.nextInt(seeds.size())), random)
                    : new String(Fuzz.bytes(random, random.nextInt(64)), StandardCharsets.UTF_8);
            try {
                Message message = Protocol.parse(line.replace("\n", ""));
                assertEquals(message, Protocol.parse(Protocol.encode(message)), "a parsed line re-encodes to the same message");
                parsed++;
            } catch (ProtocolException expected) {
                // refused: fine
            }
        }
        assertTrue(parsed > 100, "some mutations are still messages: " + parsed);
    }
}
