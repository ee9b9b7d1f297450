package io.warhorse.core.edge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Access to a private field of Undertow's or XNIO's, where they keep what warhorse must reach and offer no hook
 * (a connection's HTTP/2 channel, a conduit's next one, a frame parser). Looked up once, as the class using it
 * loads: a field renamed or retyped by a new version fails the worker's start with a message naming the field and
 * what warhorse needs it for, never a request. Any thread.
 */
public final class PrivateFields {

    private PrivateFields() {}

    /** A handle on {@code owner}'s field {@code name} of type {@code type}, needed to {@code purpose}. */
    public static VarHandle of(Class<?> owner, String name, Class<?> type, String purpose) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the " + owner.getName() + " on the class path has no "
                    + type.getSimpleName() + " field '" + name + "': warhorse cannot " + purpose + " with it", e);
        }
    }
}
