package io.warhorse.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users of {@code security.realm-file}, in the format of Jetty's realm.properties: {@code user: credential[,
 * role ...]} a line, {@code #} or {@code !} starting a comment. A credential is a bcrypt hash or plain text; Jetty's
 * {@code MD5:}, {@code CRYPT:} and {@code OBF:} forms are refused (they are weak or reversible), as is a user
 * listed twice. Every problem names the file and line. Read once when a worker starts; immutable after.
 */
public final class RealmFile {

    /** One user: name, credential (a bcrypt hash or plain text) and roles. */
    public record User(String name, String credential, Set<String> roles) {
        public User {
            roles = Set.copyOf(roles);
        }

        public boolean hashed() {
            return Credentials.isBcrypt(credential);
        }
    }

    private final Path file;
    private final Map<String, User> users;

    private RealmFile(Path file, Map<String, User> users) {
        this.file = file;
        this.users = Map.copyOf(users);
    }

    /** No users: every login fails. */
    public static RealmFile empty() {
        return new RealmFile(null, Map.of());
    }

    public static RealmFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, User> users = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            try {
                User user = parse(line);
                if (users.putIfAbsent(user.name(), user) != null) {
                    problems.add(where + "user " + user.name() + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("\n", problems));
        }
        return new RealmFile(file, users);
    }

    private static User parse(String line) {
        int colon = separator(line);
        if (colon <= 0) {
            throw new IllegalArgumentException("expected \"user: credential[, role ...]\"");
        }
        String name = line.substring(0, colon).strip();
        String[] parts = line.substring(colon + 1).split(",");
        String credential = parts[0].strip();
        if (credential.isEmpty()) {
            throw new IllegalArgumentException("user " + name + " has no credential");
        }
        if (credential.matches("(?i)(MD5|CRYPT|OBF):.*")) {
            throw new IllegalArgumentException("user " + name + ": " + credential.substring(0, credential.indexOf(':'))
                    + ": credentials are not supported; give a bcrypt hash (warhorse passwd " + name + ")");
        }
        if (credential.startsWith("$2") && !Credentials.isBcrypt(credential)) {
            throw new IllegalArgumentException("user " + name + ": not a valid bcrypt hash");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isBlank()) {
                roles.add(parts[i].strip());
            }
        }
        return new User(name, credential, roles);
    }

    /** The first ':' or '=' (Java properties accept both), or -1. */
    private static int separator(String line) {
        int colon = line.indexOf(':');
        int equals = line.indexOf('=');
        if (colon < 0 || (equals >= 0 && equals < colon)) {
            return equals;
        }
        return colon;
    }

    public User user(String name) {
        return users.get(name);
    }

    /** The users whose credential is plain text: warhorse warns about them at start. */
    public List<String> plainTextUsers() {
        return users.values().stream().filter(user -> !user.hashed()).map(User::name).sorted().toList();
    }

    public int size() {
        return users.size();
    }

    public Path file() {
        return file;
    }
}
