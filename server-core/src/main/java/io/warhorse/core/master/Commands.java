package io.warhorse.core.master;

import java.util.List;

/**
 * The operator commands that {@code warhorse ctl} sends over the control socket: each gets a text answer, then
 * the connection closes. Runs on the arbiter's thread, like the signals it mirrors.
 */
final class Commands {

    static final List<String> NAMES = List.of("status", "reload", "scale N", "ttin", "ttou", "stop", "quick-stop", "dump", "reopen-logs");

    private final Arbiter arbiter;

    Commands(Arbiter arbiter) {
        this.arbiter = arbiter;
    }

    void handle(ControlServer.Connection from, String[] words) {
        from.send(answer(words));
        from.close();
    }

    private String answer(String[] words) {
        return switch (words[0]) {
            case "status" -> StatusTable.render(arbiter);
            case "reload" -> act(() -> arbiter.reload(), "reloading: new workers start one at a time; see the master's log");
            case "scale" -> scale(words);
            case "ttin" -> act(() -> arbiter.scale(arbiter.desired() + 1), "scaling to " + (arbiter.desired() + 1));
            case "ttou" -> act(() -> arbiter.scale(arbiter.desired() - 1), "scaling to " + Math.max(1, arbiter.desired() - 1));
            case "stop" -> act(() -> arbiter.beginStop(true), "stopping gracefully");
            case "quick-stop" -> act(() -> arbiter.beginStop(false), "stopping now");
            case "dump" -> dump();
            case "reopen-logs" -> act(arbiter::reopenLogs, "reopening the log files of the master and every worker");
            default -> "error: unknown command '" + words[0] + "'; commands: " + String.join(", ", NAMES);
        };
    }

    private String scale(String[] words) {
        if (words.length != 2 || !words[1].matches("\\d{1,4}") || Integer.parseInt(words[1]) < 1) {
            return "error: usage: scale N (N >= 1)";
        }
        int count = Integer.parseInt(words[1]);
        return act(() -> arbiter.scale(count), "scaling to " + count);
    }

    private String dump() {
        StringBuilder answer = new StringBuilder();
        for (WorkerHandle worker : arbiter.workers()) {
            boolean sent = worker.process.signal("QUIT");
            answer.append(sent ? "thread dump requested from " : "could not signal ").append(worker).append('\n');
        }
        return answer.append("the dumps are in the master's log (each worker's stdout)").toString();
    }

    private static String act(Runnable action, String answer) {
        action.run();
        return answer;
    }
}
