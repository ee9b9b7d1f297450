package io.warhorse.apps.sessions;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/** Prints every session event on standard output, one line each: {@code session-counter: EVENT ID pid=P}. */
@WebListener
public class Events implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {

    static void print(String event, String id) {
        System.out.println("session-counter: " + event + " " + id + " pid=" + CounterServlet.PID);
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        print("created", event.getSession().getId());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        print("destroyed", event.getSession().getId());
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        print("added:" + event.getName(), event.getSession().getId());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
        print("removed:" + event.getName(), event.getSession().getId());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        if (!event.getName().equals("count")) { // the counter changes on every request; its line would only be noise
            print("replaced:" + event.getName(), event.getSession().getId());
        }
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldId) {
        print("idChanged:" + oldId, event.getSession().getId());
    }
}
