package dev.sonde.core.model;

/**
 * A place in the target's code.
 *
 * @param className fully qualified class name ({@code com.acme.Orders$1}), or a module/script name for non-JVM targets
 * @param method    method name, or {@code null} when unknown
 * @param file      source file name ({@code Orders.java}), or {@code null} when the class has no source information
 * @param line      1-based line number, or {@code -1} when unknown
 */
public record Location(String className, String method, String file, int line) {

    /** The path of the source file relative to a source root ({@code com/acme/Orders.java}), derived from the package. */
    public String sourcePath() {
        if (file == null) {
            return null;
        }
        if (file.contains("/")) {
            return file;
        }
        int lastDot = className.lastIndexOf('.');
        return lastDot < 0 ? file : className.substring(0, lastDot).replace('.', '/') + "/" + file;
    }

    /** {@code Orders.java:42}, or the class name when there is no source information. */
    public String shortForm() {
        if (file != null && line > 0) {
            return file + ":" + line;
        }
        return className + (line > 0 ? ":" + line : "");
    }

    @Override
    public String toString() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple + (method != null ? "." + method : "") + " (" + shortForm() + ")";
    }
}
