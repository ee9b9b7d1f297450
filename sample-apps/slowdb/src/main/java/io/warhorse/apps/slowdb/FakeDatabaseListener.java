package io.warhorse.apps.slowdb;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Starts the app's {@link FakeDatabase} with the app and closes it (thread, sockets) when the app stops. */
public class FakeDatabaseListener implements ServletContextListener {
    static final String ATTRIBUTE = FakeDatabase.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            event.getServletContext().setAttribute(ATTRIBUTE, new FakeDatabase());
        } catch (IOException e) {
            throw new UncheckedIOException("slowdb: cannot open the fake database on 127.0.0.1", e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object database = event.getServletContext().getAttribute(ATTRIBUTE);
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (database instanceof FakeDatabase fake) {
            try {
                fake.close();
            } catch (IOException e) {
                event.getServletContext().log("slowdb: closing the fake database failed", e);
            }
        }
    }
}
