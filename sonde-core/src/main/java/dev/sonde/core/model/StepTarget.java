package dev.sonde.core.model;

/**
 * A call on the current line that a step can go into: a method or constructor called there, or a lambda whose body
 * is on that line.
 *
 * @param label      what a user picks from: {@code Orders.total(List)}, {@code new Order(int)}, {@code lambda$main$0 (Consumer.accept)}
 * @param className  the class declaring the method stepped into
 * @param method     its name ({@code <init>} for a constructor, {@code lambda$main$0} for a lambda body)
 * @param descriptor its JVM descriptor ({@code (I)V}), to tell overloads apart
 */
public record StepTarget(String label, String className, String method, String descriptor) {
}
