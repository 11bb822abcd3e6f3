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

    /** {@code Orders.place (Orders.java:42)}; classes without source (lambdas, proxies) show as {@code (no source)}. */
    @Override
    public String toString() {
        String name = className;
        int hidden = name.indexOf('/');
        if (hidden > 0) {
            // A hidden class (a lambda's, say): its name ends with an address that helps nobody.
            name = name.substring(0, hidden);
        }
        String simple = name.substring(name.lastIndexOf('.') + 1);
        String where = file != null && line > 0 ? file + ":" + line : file != null ? file : "no source";
        return simple + (method != null ? "." + method : "") + " (" + where + ")";
    }
}
