package io.warhorse.core.control;

/** A line that is not a message of the control protocol, or not one its sender may send now; says why. */
public final class ProtocolException extends Exception {

    public ProtocolException(String reason) {
        super(reason, null, false, false); // no stack: a hostile peer must not make the master build thousands
    }
}
