package dev.sonde.cli;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.settings.RuntimeSettings;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A target that hands work off through sonde-runtime alone (no agent): a task submitted to a wrapped pool, and a
 * {@code trackAsync} operation whose stage runs on one wrapped pool and submits to another. Settings come from
 * {@code -Dsonde.runtime.*}; {@code report} and {@code bill} are where the tests stop.
 */
public class RuntimeTaskChains {

    public static void main(String[] args) throws Exception {
        try (SondeRuntime sonde = SondeRuntime.create(RuntimeSettings.fromProperties(System.getProperties()))) {
            ExecutorService orders = sonde.tasks().wrap("orders", Executors.newFixedThreadPool(1, r -> new Thread(r, "orders-pool")));
            ExecutorService billing = sonde.tasks().wrap("billing", Executors.newFixedThreadPool(1, r -> new Thread(r, "billing-pool")));
            submitReport(orders);
            loadOrder(sonde, orders, billing);
            orders.shutdown();
            billing.shutdown();
        }
        System.out.println("runtime task chains done");
    }

    static void submitReport(ExecutorService orders) throws Exception {
        orders.submit(RuntimeTaskChains::report).get();
    }

    static void loadOrder(SondeRuntime sonde, ExecutorService orders, ExecutorService billing) throws Exception {
        sonde.operations().trackAsync("orders.load", () -> CompletableFuture.supplyAsync(() -> {
            try {
                return billing.submit(RuntimeTaskChains::bill).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, orders)).get();
    }

    static void report() {
        System.out.println("report");
    }

    static int bill() {
        return 42;
    }
}
