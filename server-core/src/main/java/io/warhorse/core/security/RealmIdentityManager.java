package io.warhorse.core.security;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.undertow.security.idm.Account;
import io.undertow.security.idm.Credential;
import io.undertow.security.idm.IdentityManager;
import io.undertow.security.idm.PasswordCredential;
import io.undertow.servlet.handlers.ServletRequestContext;
import java.net.InetSocketAddress;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Undertow's user store for container login (BASIC, FORM, {@code HttpServletRequest.login}), backed by the realm file.
 * Failed logins are counted ({@code security.login.failed}) and, per client address, refused unchecked for a while
 * by the {@link LoginGuard} ({@code security.login.refused}). A bcrypt check costs tens of milliseconds, and BASIC
 * sends the password with every request, so a password once verified is remembered as an HMAC under a key made at
 * start (never the password itself) and later requests skip bcrypt. Runs on request threads; thread-safe.
 */
public final class RealmIdentityManager implements IdentityManager {

    private final RealmFile realm;
    private final LoginGuard guard;
    private final Counter failed;
    private final Counter refused;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final SecretKeySpec key;

    public RealmIdentityManager(RealmFile realm, LoginGuard guard, MetricRegistry metrics) {
        this.realm = realm;
        this.guard = guard;
        this.failed = metrics.counter("security.login.failed");
        this.refused = metrics.counter("security.login.refused");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * An account kept in a session (a FORM login), possibly from another worker or from before a HUP re-read the
     * realm file: still good while its user is in the realm, with the realm's roles of now; a removed user is
     * logged out.
     */
    @Override
    public Account verify(Account account) {
        Principal principal = account == null ? null : account.getPrincipal();
        RealmFile.User user = principal == null ? null : realm.user(principal.getName());
        return user == null ? null : UserAccount.of(user);
    }

    @Override
    public Account verify(String id, Credential credential) {
        if (!(credential instanceof PasswordCredential password) || id == null) {
            return null;
        }
        String address = clientAddress();
        if (guard.refuses(address)) {
            refused.inc();
            return null;
        }
        RealmFile.User user = realm.user(id);
        if (user != null && check(user, password.getPassword())) {
            guard.succeeded(address);
            return UserAccount.of(user);
        }
        failed.inc();
        guard.failed(address);
        return null;
    }

    @Override
    public Account verify(Credential credential) {
        return null;
    }

    private boolean check(RealmFile.User user, char[] password) {
        byte[] mac = mac(user.name(), password);
        byte[] known = verified.get(user.name());
        if (known != null && MessageDigest.isEqual(known, mac)) {
            return true;
        }
        boolean good = Credentials.matches(password, user.credential());
        if (good) {
            verified.put(user.name(), mac);
        }
        return good;
    }

    private byte[] mac(String name, char[] password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return hmac.doFinal(new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** The peer of the request being served, or "" outside a servlet request. */
    private static String clientAddress() {
        ServletRequestContext context = ServletRequestContext.current();
        if (context == null || !(context.getExchange().getSourceAddress() instanceof InetSocketAddress peer)) {
            return "";
        }
        return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    }

    /** A user's name as a Principal; prints as the name, as Tomcat's and Jetty's do. */
    private record UserPrincipal(String getName) implements Principal, java.io.Serializable {
        @Override
        public String toString() {
            return getName;
        }
    }

    /**
     * A logged-in user: name and roles only, never the credential. Serializable, because a FORM login keeps it in
     * the session, which the session store writes so that the login follows the user to every worker.
     */
    private record UserAccount(UserPrincipal getPrincipal, Set<String> getRoles)
            implements Account, java.io.Serializable {
        static UserAccount of(RealmFile.User user) {
            return new UserAccount(new UserPrincipal(user.name()), Set.copyOf(user.roles()));
        }
    }
}
