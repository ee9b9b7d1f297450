package io.warhorse.core.control;

/**
 * Every message of the control protocol, one record each; {@link Protocol} is the only code that turns them into
 * lines and back. Three kinds of peer speak on the master's control socket:
 *
 * <ul>
 *   <li>a <b>worker</b> opens with {@link Hello} (protocol version, its id, pid, kind and the secret the master gave
 *       it in its environment), then sends {@link Ready} once, {@link Beat}s and {@link Metrics}, and {@link Bye}
 *       last; the master may send it {@link Unready};
 *   <li>an <b>operator</b> ({@code warhorse ctl}) sends one {@link Command} (with the protocol version) and reads the
 *       master's {@link Answer} until the connection closes.
 * </ul>
 * Immutable; any thread.
 */
public sealed interface Message {

    /** What a worker may send, once it has said {@link Hello}. */
    sealed interface FromWorker extends Message {}

    /** The first line of a worker's connection: who it is, proved by {@code secret}. */
    record Hello(int version, int id, long pid, String kind, String secret) implements Message {
        @Override
        public String toString() { // the secret stays out of logs
            return "Hello[version=" + version + ", id=" + id + ", pid=" + pid + ", kind=" + kind + "]";
        }
    }

    /** The worker's apps are deployed and it accepts connections. */
    record Ready() implements FromWorker {}

    /** A heartbeat, with the requests served so far and those in flight. */
    record Beat(long requests, long inFlight) implements FromWorker {}

    /** A snapshot of the worker's metrics, as one line of JSON. */
    record Metrics(String json) implements FromWorker {}

    /** The worker's last line: it is done, and its JVM exits (which may take seconds: no more beats). */
    record Bye() implements FromWorker {}

    /** Master to worker: answer readiness probes 503 from now on (a stop has begun). */
    record Unready() implements Message {}

    /** An operator's request; the whole of an operator's connection. */
    record Command(int version, Operation operation, int count) implements Message {
        public Command(Operation operation) {
            this(Protocol.VERSION, operation, 0);
        }
    }

    /** The operator commands; {@code SCALE} carries a worker count. */
    enum Operation {
        STATUS, RELOAD, SCALE, TTIN, TTOU, STOP, QUICK_STOP, DUMP, REOPEN_LOGS, EVENTS;

        /** The command's name on the command line and on the wire: {@code quick-stop}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Master to operator: the answer's text, which may span lines; the connection closes after it. */
    record Answer(String text, boolean error) implements Message {}
}
