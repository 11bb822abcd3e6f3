package dev.sonde.core.session;

/** A registered event listener; closing it stops delivery. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
