package dev.sonde.jdi.eval;

import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;

import java.util.List;

/** Tells an interned string from an equal copy without running code in the target. */
final class Interning {

    private Interning() {
    }

    /**
     * Whether {@code string} is a string literal some loaded class has resolved, and so the interned instance: JDI's
     * referring objects (a heap walk in the target, JVMTI FollowReferences) name a class whose constant pool refers to
     * it. A class that refers to it only through a static field proves nothing. A string interned by
     * {@code String.intern()} alone, never a literal of loaded code, is not found, and counts as not interned.
     */
    static boolean isLoadedLiteral(Context ctx, StringReference string) {
        if (!ctx.vm().canGetInstanceInfo()) {
            return false;
        }
        for (ObjectReference referrer : string.referringObjects(0)) {
            if (referrer instanceof ClassObjectReference classObject && !holdsInStaticField(classObject.reflectedType(), string)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsInStaticField(ReferenceType type, StringReference string) {
        List<Field> statics = type.fields().stream().filter(f -> f.isStatic() && !f.typeName().contains("[")
                && PrimitiveKind.named(f.typeName()) == null).toList();
        return !statics.isEmpty() && type.getValues(statics).containsValue(string);
    }
}
