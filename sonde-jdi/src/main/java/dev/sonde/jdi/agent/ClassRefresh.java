package dev.sonde.jdi.agent;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Makes JDI forget what it cached of a class that the Sonde agent rewrote (its methods, line tables, local variable
 * ranges), as it does after a redefinition of its own; else the code indexes of the rewritten methods, which are
 * longer, map to wrong lines or to none. JDI has no public call for it, so this needs the sonde process started with
 * {@code --add-opens jdk.jdi/com.sun.tools.jdi=ALL-UNNAMED} (sonde.jar's manifest carries it).
 */
public final class ClassRefresh {

    private static final Method NOTICE = find();

    private ClassRefresh() {
    }

    private static Method find() {
        try {
            Method notice = Class.forName("com.sun.tools.jdi.ReferenceTypeImpl").getDeclaredMethod("noticeRedefineClass");
            notice.setAccessible(true);
            return notice;
        } catch (ReflectiveOperationException | RuntimeException closed) {
            return null;
        }
    }

    /** Whether this process may refresh JDI's view of a class. */
    public static boolean available() {
        return NOTICE != null;
    }

    /** Refreshes every loaded class named {@code className}; a no-op when {@link #available()} is false. */
    public static void refresh(VirtualMachine vm, String className) {
        if (NOTICE == null) {
            return;
        }
        for (ReferenceType type : vm.classesByName(className)) {
            try {
                NOTICE.invoke(type);
            } catch (IllegalAccessException | InvocationTargetException e) {
                // the cached view stays; lines in that class may be off until the session ends
            }
        }
    }
}
