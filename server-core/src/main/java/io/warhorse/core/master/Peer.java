package io.warhorse.core.master;

import io.warhorse.core.control.Message;
import io.warhorse.core.control.ProtocolException;
import java.io.IOException;
import jdk.net.UnixDomainPrincipal;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * Who is at the other end of one control connection and what it may still say. Its first message sets its role:
 * {@code hello} makes it a worker (which the arbiter then checks against its table and the worker's secret),
 * {@code ctl} an operator, allowed only to a process of the master's own user or root (the kernel's peer
 * credentials, not anything the peer says); workers dropped to {@code --user} can reach the socket but not command
 * the master. After that, a worker may send only worker messages, and an operator nothing more. Changed only on
 * its connection's reader thread.
 */
final class Peer {

    enum Role { UNKNOWN, WORKER, OPERATOR }

    private static final String MASTER_USER = System.getProperty("user.name");

    private final SocketChannel channel;
    private volatile Role role = Role.UNKNOWN;
    private volatile String name = "";
    /** Looked up when needed (an operator's command, a refusal): the user database is no cost for every connection. */
    private volatile String user;

    Peer(SocketChannel channel) {
        this.channel = channel;
    }

    private String user() {
        if (user == null) {
            try {
                UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                user = principal.user().getName();
            } catch (IOException | UnsupportedOperationException e) {
                user = "?";
            }
        }
        return user;
    }

    /** Takes {@code message} as the next from this peer, or says why it may not send it now. */
    void admit(Message message) throws ProtocolException {
        switch (role) {
            case UNKNOWN -> first(message);
            case WORKER -> {
                if (!(message instanceof Message.FromWorker)) {
                    throw new ProtocolException("out of place: " + verb(message) + " from a worker");
                }
            }
            case OPERATOR -> throw new ProtocolException("out of place: " + verb(message) + " after an operator's command");
        }
    }

    private void first(Message message) throws ProtocolException {
        switch (message) {
            case Message.Hello hello -> {
                role = Role.WORKER;
                name = "worker id " + hello.id() + ", pid " + hello.pid() + ", ";
            }
            case Message.Command command -> {
                if (!user().equals(MASTER_USER) && !user().equals("root")) {
                    throw new ProtocolException("operator commands are for the master's user " + MASTER_USER + " (or root)");
                }
                role = Role.OPERATOR;
                name = "operator, ";
            }
            default -> throw new ProtocolException("out of place: " + verb(message) + " before hello (workers) or ctl (operators)");
        }
    }

    Role role() {
        return role;
    }

    private static String verb(Message message) {
        return message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return name + "user " + user();
    }
}
