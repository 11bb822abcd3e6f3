package dev.sonde.jdi.frames;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;

/** The methods javac makes for lambda bodies: {@code lambda$enclosing$N}, numbered in source order within their class. */
public final class LambdaMethods {

    private LambdaMethods() {
    }

    public static boolean isLambda(Method method) {
        return method.name().startsWith("lambda$");
    }

    /** The N of {@code lambda$main$N}, for ordering; the largest int for a name without one. */
    public static int number(Method method) {
        String name = method.name();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('$') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The first line a method's code is on, or -1 without line information. */
    public static int firstLine(Method method) {
        try {
            return method.allLineLocations().stream().mapToInt(Location::lineNumber).min().orElse(-1);
        } catch (AbsentInformationException e) {
            return -1;
        }
    }
}
