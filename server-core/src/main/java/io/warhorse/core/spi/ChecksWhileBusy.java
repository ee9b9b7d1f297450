package io.warhorse.core.spi;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A watchdog's periodic check that runs only while there is something to watch: every period from the first
 * {@link #busy} after a pause until a check finds nothing, then not at all. An idle worker's watchdogs would
 * otherwise wake their thread tens to a thousand times a second for nothing (the carrier watch 18-22 ms of CPU a
 * second on a 2-core VM, the async watchdog about 9). The check that finds nothing stops, then looks once more, so
 * work that began meanwhile (and saw the checks still scheduled) is never left unwatched.
 *
 * <p>{@link #busy} runs on the threads that start the watched work (one volatile read while checks are scheduled);
 * the check and {@code paused} on the scheduler's thread.
 */
public final class ChecksWhileBusy {

    private final long periodNanos;
    private final Runnable check;
    private final BooleanSupplier idle;
    private final Runnable paused;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile ScheduledExecutorService scheduler;

    /**
     * @param check  the check, run every {@code period} while not {@code idle}
     * @param idle   whether there is nothing to watch
     * @param paused run after a check that found nothing, as the checks pause
     */
    public ChecksWhileBusy(Duration period, Runnable check, BooleanSupplier idle, Runnable paused) {
        this.periodNanos = period.toNanos();
        this.check = check;
        this.idle = idle;
        this.paused = paused;
    }

    /** Checks on {@code scheduler}'s thread from now on, while there is something to watch. */
    public void on(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        if (!idle.getAsBoolean()) {
            scheduleIfIdle();
        }
    }

    /** Work to watch has begun (it is already visible to {@code idle}): the checks run, if they did not. */
    public void busy() {
        if (!scheduled.get()) {
            scheduleIfIdle();
        }
    }

    /** Whether checks are scheduled: from the first {@link #busy} after a pause until a check finds nothing. */
    public boolean scheduled() {
        return scheduled.get();
    }

    private void scheduleIfIdle() {
        ScheduledExecutorService on = scheduler;
        if (on != null && scheduled.compareAndSet(false, true)) {
            try {
                on.schedule(this::scheduledCheck, periodNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the worker is stopping and its scheduler has shut down: the work runs, unwatched
            }
        }
    }

    private void scheduledCheck() {
        check.run();
        if (idle.getAsBoolean()) {
            scheduled.set(false);
            paused.run();
            // work that began after the look above and saw the checks still scheduled is visible by now
            if (idle.getAsBoolean() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
        try {
            scheduler.schedule(this::scheduledCheck, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shut down meanwhile: nothing more to watch
        }
    }
}
