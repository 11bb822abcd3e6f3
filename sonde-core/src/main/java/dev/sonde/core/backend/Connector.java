package dev.sonde.core.backend;

import java.util.concurrent.CompletableFuture;

/** Connects to a target and yields the backend that speaks to it (attach to a port, launch and attach, ...). */
@FunctionalInterface
public interface Connector {

    CompletableFuture<Backend> connect();
}
