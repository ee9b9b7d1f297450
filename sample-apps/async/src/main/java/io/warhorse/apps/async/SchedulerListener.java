package io.warhorse.apps.async;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Owns the app's one timer thread ("async-scheduler", a daemon) that completes {@code /async} requests: made
 * when the app starts, shut down when it stops, so a redeploy leaves no thread behind.
 */
@WebListener
public class SchedulerListener implements ServletContextListener {
    static final String ATTRIBUTE = SchedulerListener.class.getName() + ".scheduler";

    static ScheduledExecutorService scheduler(ServletContext context) {
        return (ScheduledExecutorService) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("async-scheduler").factory());
        event.getServletContext().setAttribute(ATTRIBUTE, scheduler);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ScheduledExecutorService scheduler = scheduler(event.getServletContext());
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
