package dev.sonde.demo;

import java.util.List;

/** An order as it arrives: who, and what. */
public record Order(long id, String customer, List<LineItem> items) {

    /** One product in an order. */
    public record LineItem(String sku, int quantity, double unitPrice) {
    }
}
