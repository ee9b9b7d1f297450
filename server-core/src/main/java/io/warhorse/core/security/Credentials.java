package io.warhorse.core.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Checks a password against a realm file credential: a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}) through
 * Patrick Favre's bcrypt library, or plain text compared in constant time. Makes the hashes that
 * {@code warhorse passwd} prints. Stateless; any thread (a bcrypt check costs tens of milliseconds of CPU).
 */
public final class Credentials {

    /** bcrypt's cost for new hashes: 2^12 rounds, a quarter of a second or so on a server core. */
    static final int COST = 12;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    /** Checked for unknown users, so that their answer takes as long as a known user's. */
    private static final String DUMMY = new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
            .hash(4, "warhorse".toCharArray()), StandardCharsets.UTF_8);

    private Credentials() {}

    static boolean isBcrypt(String credential) {
        return BCRYPT.matcher(credential).matches();
    }

    /** A new {@code $2y$} hash of {@code password}, with a random salt. */
    public static String hash(char[] password) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(COST, password), StandardCharsets.UTF_8);
    }

    /** True if {@code password} matches {@code credential}; a null credential (no such user) never matches. */
    static boolean matches(char[] password, String credential) {
        if (credential == null) {
            matches(password, DUMMY);
            return false;
        }
        if (isBcrypt(credential)) {
            try {
                return BCrypt.verifyer().verify(password, credential.toCharArray()).verified;
            } catch (IllegalArgumentException tooLong) {
                return false; // bcrypt takes at most 72 bytes; a longer password is not the one hashed
            }
        }
        return MessageDigest.isEqual(new String(password).getBytes(StandardCharsets.UTF_8),
                credential.getBytes(StandardCharsets.UTF_8));
    }
}
