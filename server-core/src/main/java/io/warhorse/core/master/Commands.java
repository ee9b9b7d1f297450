package io.warhorse.core.master;

import io.warhorse.core.control.Message;
import io.warhorse.core.control.Message.Answer;

/**
 * The operator commands that {@code warhorse ctl} sends over the control socket: each gets an {@link Answer}, then
 * the connection closes. Runs on the arbiter's thread, like the signals it mirrors.
 */
final class Commands {

    private final Arbiter arbiter;

    Commands(Arbiter arbiter) {
        this.arbiter = arbiter;
    }

    void handle(ControlServer.Connection from, Message.Command command) {
        try {
            from.send(new Answer(answer(command), false));
        } finally {
            from.close();
        }
    }

    private String answer(Message.Command command) {
        return switch (command.operation()) {
            case STATUS -> StatusTable.render(arbiter);
            case RELOAD -> act(arbiter::reload, "reloading: new workers start one at a time; see the master's log");
            case SCALE -> act(() -> arbiter.scale(command.count()), "scaling to " + command.count());
            case TTIN -> act(() -> arbiter.scale(arbiter.desired() + 1), "scaling to " + (arbiter.desired() + 1));
            case TTOU -> act(() -> arbiter.scale(arbiter.desired() - 1), "scaling to " + Math.max(1, arbiter.desired() - 1));
            case STOP -> act(() -> arbiter.beginStop(true), "stopping gracefully");
            case QUICK_STOP -> act(() -> arbiter.beginStop(false), "stopping now");
            case DUMP -> dump();
            case REOPEN_LOGS -> act(arbiter::reopenLogs, "reopening the log files of the master and every worker");
            case EVENTS -> arbiter.view().timeline().render();
        };
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
