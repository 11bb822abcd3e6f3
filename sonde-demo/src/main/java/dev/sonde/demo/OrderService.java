package dev.sonde.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small async order service: each order goes through validate → price → reserve → confirm as a
 * CompletableFuture chain on virtual threads. It runs until stopped (or for the number of orders given
 * as the first argument), taking a new order every 150 ms.
 */
public final class OrderService {

    static final Map<String, Double> CATALOGUE = Map.of(
            "kettle", 24.90, "teapot", 31.50, "mug", 7.25, "tea-tin", 12.00, "strainer", 4.75);
    private static final List<String> CUSTOMERS = List.of("ada", "grace", "linus", "barbara", "ken");

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Pricing pricing = new Pricing();
    private final Inventory inventory = new Inventory();
    private final AtomicLong confirmed = new AtomicLong();

    public static void main(String[] args) throws InterruptedException {
        long orders = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
        OrderService service = new OrderService();
        System.out.println("order service started");
        for (long id = 1; id <= orders; id++) {
            service.submit(newOrder(id));
            Thread.sleep(150);
        }
        service.workers.shutdown();
        service.workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        System.out.println("order service done: " + service.confirmed.get() + " confirmed");
    }

    CompletableFuture<Void> submit(Order order) {
        return CompletableFuture.supplyAsync(() -> validate(order), workers)
                .thenApplyAsync(pricing::price, workers)
                .thenApplyAsync(inventory::reserve, workers)
                .thenAccept(this::confirm)
                .exceptionally(failure -> {
                    System.out.println("order " + order.id() + " failed: " + failure.getCause().getMessage());
                    return null;
                });
    }

    private static Order validate(Order order) {
        if (order.items().isEmpty()) {
            throw new IllegalArgumentException("order " + order.id() + " has no items");
        }
        return order;
    }

    private void confirm(PricedOrder priced) {
        long count = confirmed.incrementAndGet();
        System.out.printf("order %d for %s: %d items, total %.2f (confirmed %d)%n",
                priced.order().id(), priced.order().customer(), priced.order().items().size(), priced.total(), count);
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
