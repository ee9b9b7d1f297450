package io.warhorse.core.cli;

import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.security.Credentials;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code warhorse passwd USER [ROLE ...]}: asks for a password (twice on a terminal; one line from standard input
 * otherwise, for scripts) and prints the realm file line {@code USER: $2y$12$..., ROLE, ...} with its bcrypt hash.
 * Nothing is written anywhere else.
 */
final class Passwd {

    /** bcrypt reads at most 72 bytes; a longer password would be cut without telling anyone. */
    private static final int MAX_PASSWORD_BYTES = 72;

    private Passwd() {}

    static int run(String[] args, Console console, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || !validName(args[0])) {
            err.println("usage: warhorse passwd USER [ROLE ...]  (USER and ROLEs without spaces, ':', '=' or ',')");
            return ExitCodes.USAGE;
        }
        for (int i = 1; i < args.length; i++) {
            if (!validName(args[i])) {
                err.println("passwd: role \"" + args[i] + "\" may not hold spaces, ':', '=' or ','");
                return ExitCodes.USAGE;
            }
        }
        char[] password;
        try {
            password = console != null ? fromConsole(console) : fromInput(in);
        } catch (IOException | IllegalArgumentException e) {
            err.println("passwd: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        StringBuilder line = new StringBuilder(args[0]).append(": ").append(Credentials.hash(password));
        Arrays.fill(password, '\0');
        for (int i = 1; i < args.length; i++) {
            line.append(", ").append(args[i]);
        }
        out.println(line);
        return ExitCodes.OK;
    }

    private static char[] fromConsole(Console console) {
        char[] first = console.readPassword("Password: ");
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the passwords differ");
        }
        return checked(first);
    }

    private static char[] fromInput(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return checked(line.toCharArray());
    }

    private static char[] checked(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("the password is longer than bcrypt's " + MAX_PASSWORD_BYTES + " bytes");
        }
        return password;
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(c -> Character.isWhitespace(c) || c == ':' || c == '='
                || c == ',' || c == '#' || c == '!');
    }
}
