package dev.sonde.demo;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small async order service: each order goes through validate → price → reserve → pay → confirm
 * as a CompletableFuture chain on virtual threads. It runs until stopped (or for the number of orders
 * given as the first argument), taking a new order every 150 ms; {@code --deadlock} also starts two
 * clerks that deadlock on the ledger.
 *
 * <p>The Sonde runtime watches it; {@code sonde inspect PID} shows what it saw.
 */
public final class OrderService {

    static final Map<String, Double> CATALOGUE = Map.of(
            "kettle", 24.90, "teapot", 31.50, "mug", 7.25, "tea-tin", 12.00, "strainer", 4.75);
    private static final List<String> CUSTOMERS = List.of("ada", "grace", "linus", "barbara", "ken");

    private final SondeRuntime sonde = SondeRuntime.install();
    private final Operations operations = sonde.operations();
    private final ExecutorService workers = sonde.tasks().wrap("orders", Executors.newVirtualThreadPerTaskExecutor());
    private final Pricing pricing = new Pricing();
    private final Inventory inventory = new Inventory();
    private final Payments payments = new Payments(sonde);
    private final AtomicLong confirmed = new AtomicLong();

    CompletableFuture<Void> submit(Order order) {
        // The bug `sonde inspect` reports: a scope belongs to the thread that entered it, but this one is
        // entered on the thread taking orders and exited by whichever thread ends the chain; the runtime
        // records that in REPORT mode and refuses it (the order fails) in STRICT mode.
        Scope request = sonde.scopes().enter("request");
        return operations.trackAsync("order", () -> CompletableFuture.supplyAsync(() -> operations.track("order.validate", () -> validate(order)), workers)
                        .thenApplyAsync(step("order.price", pricing::price), workers)
                        .thenApplyAsync(step("order.reserve", inventory::reserve), workers)
                        .thenApplyAsync(step("order.pay", payments::pay), workers)
                        .thenAccept(priced -> operations.run("order.confirm", () -> confirm(priced))))
                .whenComplete((done, failure) -> request.close())
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    System.out.println("order " + order.id() + " failed: " + cause.getMessage());
                    return null;
                });
    }

    private void confirm(PricedOrder priced) {
        long count = confirmed.incrementAndGet();
        System.out.printf("order %d for %s: %d items, total %.2f (confirmed %d)%n",
                priced.order().id(), priced.order().customer(), priced.order().items().size(), priced.total(), count);
    }

    /** {@code [ORDERS] [--deadlock]}: how many orders to take (no end by default), and whether the ledger deadlocks. */
    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        long orders = arguments.stream().filter(a -> !a.startsWith("--")).findFirst().map(Long::parseLong).orElse(Long.MAX_VALUE);
        OrderService service = new OrderService();
        // Sessions here last milliseconds, so one open for a second has leaked; and at a few orders a second
        // every entry and allocation stack is worth keeping.
        service.sonde.settings().apply(Map.of("resources.leakAge", "1s", "scopes.entryStacks", "ALL",
                "resources.allocationStacks", "ALL"));
        if (arguments.contains("--deadlock")) {
            new Ledger().startClerks();
        }
        System.out.println("order service started");
        for (long id = 1; id <= orders; id++) {
            service.submit(newOrder(id));
            Thread.sleep(150);
        }
        service.workers.shutdown();
        service.workers.awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("order service done: " + service.confirmed.get() + " confirmed");
    }

    private <T, R> Function<T, R> step(String operation, Function<T, R> work) {
        return input -> operations.track(operation, () -> work.apply(input));
    }

    private static Order validate(Order order) {
        if (order.items().isEmpty()) {
            throw new IllegalArgumentException("order " + order.id() + " has no items");
        }
        return order;
    }

    static Order newOrder(long id) {
        List<Order.LineItem> items = new ArrayList<>();
        List<String> skus = List.copyOf(new java.util.TreeSet<>(CATALOGUE.keySet()));
        int lines = 1 + (int) (id % 3);
        for (int i = 0; i < lines; i++) {
            String sku = skus.get((int) ((id + i * 2) % skus.size()));
            items.add(new Order.LineItem(sku, 1 + (int) ((id + i) % 4), CATALOGUE.get(sku)));
        }
        return new Order(id, CUSTOMERS.get((int) (id % CUSTOMERS.size())), items);
    }
}
