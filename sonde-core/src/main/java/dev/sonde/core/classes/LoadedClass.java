package dev.sonde.core.classes;

/**
 * A class loaded in the target.
 *
 * @param loader the class loader that defined it, as {@code AppClassLoader@12}, or {@code bootstrap}
 */
public record LoadedClass(String name, String loader) {
}
