package dev.sonde.jdi.stepping;

import com.sun.jdi.Location;
import com.sun.jdi.Method;

import java.util.List;

/**
 * What stepping skips: JDK classes (by package) and compiler-made methods such as bridges and accessors.
 * Lambda bodies are compiler-made too, but they hold the user's code, so steps stop in them.
 */
public record StepFilters(List<String> excludedClassPatterns, boolean skipSynthetic) {

    public static final StepFilters DEFAULT = new StepFilters(
            List.of("java.*", "javax.*", "jdk.*", "sun.*", "com.sun.*"), true);

    /** Whether the class is one stepping skips ({@code java.*} and the like). */
    public boolean excludes(String className) {
        for (String pattern : excludedClassPatterns) {
            if (pattern.endsWith("*") ? className.startsWith(pattern.substring(0, pattern.length() - 1)) : className.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a step that lands here should stop, or carry on to user code. */
    public boolean isUserCode(Location location) {
        Method method = location.method();
        if (skipSynthetic && method.isSynthetic() && !method.name().startsWith("lambda$")) {
            return false;
        }
        if (skipSynthetic && method.isBridge()) {
            return false;
        }
        return location.lineNumber() > 0;
    }
}
