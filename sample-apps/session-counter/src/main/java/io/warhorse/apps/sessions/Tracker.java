package io.warhorse.apps.sessions;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import java.io.Serializable;

/** A session attribute that prints each binding and activation event it receives, with the worker's pid. */
public class Tracker implements Serializable, HttpSessionBindingListener, HttpSessionActivationListener {
    private static final long serialVersionUID = 1L;

    @Override
    public void valueBound(HttpSessionBindingEvent event) {
        Events.print("valueBound", event.getSession().getId());
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
        Events.print("valueUnbound", event.getSession().getId());
    }

    @Override
    public void sessionWillPassivate(HttpSessionEvent event) {
        Events.print("willPassivate", event.getSession().getId());
    }

    @Override
    public void sessionDidActivate(HttpSessionEvent event) {
        Events.print("didActivate", event.getSession().getId());
    }

    @Override
    public String toString() {
        return "tracker";
    }
}
