package dev.sonde.jdi.hotswap;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.hotswap.StaleFrame;
import dev.sonde.jdi.frames.ObsoleteFrames;
import dev.sonde.jdi.threads.ThreadDirectory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hot code replace through {@link VirtualMachine#redefineClasses}: sends new class files for loaded classes, turns the
 * JVM's refusal into one sentence, and finds the frames still running replaced methods' old code.
 */
public final class HotSwap {

    private final VirtualMachine vm;
    private final ThreadDirectory threads;
    private final ObsoleteFrames obsolete;

    public HotSwap(VirtualMachine vm, ThreadDirectory threads, ObsoleteFrames obsolete) {
        this.vm = vm;
        this.threads = threads;
        this.obsolete = obsolete;
    }

    /**
     * Replaces the loaded classes among {@code classes}; classes not loaded are left for the target to load.
     *
     * @param replaced told the types replaced, before stale frames are read (breakpoints in them must be set again:
     *                 the JVM drops them)
     */
    public Redefinition redefine(Map<String, byte[]> classes, Consumer<Set<ReferenceType>> replaced) {
        if (!vm.canRedefineClasses()) {
            throw new SondeException(ErrorKind.UNSUPPORTED, "This JVM (" + vm.name() + ") cannot replace classes;"
                    + " restart the program to run the change.");
        }
        Map<ReferenceType, byte[]> definitions = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> notLoaded = new ArrayList<>();
        classes.forEach((name, bytes) -> {
            List<ReferenceType> loaded = vm.classesByName(name).stream().filter(ReferenceType::isPrepared).toList();
            if (loaded.isEmpty()) {
                notLoaded.add(name);
            } else {
                names.add(name);
                loaded.forEach(type -> definitions.put(type, bytes));
            }
        });
        if (definitions.isEmpty()) {
            return new Redefinition.Replaced(List.of(), List.of(), notLoaded, List.of());
        }
        // Held for the whole change, so the frames read before are the frames read after.
        boolean held = threads.allSuspended();
        if (!held) {
            vm.suspend();
        }
        try {
            Map<StaleFrame, Method> before = framesIn(definitions.keySet());
            try {
                vm.redefineClasses(definitions);
            } catch (UnsupportedOperationException | LinkageError refused) {
                return new Redefinition.Refused(names, refusal(names, refused));
            }
            replaced.accept(definitions.keySet());
            return new Redefinition.Replaced(names, List.of(), notLoaded, staleFrames(before));
        } finally {
            if (!held) {
                vm.resume();
            }
        }
    }

    /** One sentence naming the change the JVM does not allow, from JDI's exception for the JDWP error. */
    static String refusal(List<String> names, Throwable refused) {
        String what = names.size() == 1 ? "the new " + names.get(0) : "the new classes (" + String.join(", ", names) + ")";
        String message = String.valueOf(refused.getMessage());
        return switch (refused) {
            case UnsupportedClassVersionError e -> "The JVM refused " + what + ": compiled for a newer Java than the target runs;"
                    + " compile with --release for the target's version.";
            case VerifyError e -> "The JVM refused " + what + ": it fails verification; fix the class and compile it again.";
            case ClassFormatError e -> "The JVM refused " + what + ": it is not a valid class file; compile it again.";
            case NoClassDefFoundError e -> "The JVM refused " + what + ": the class file declares another class name;"
                    + " give the class file the compiler wrote for that class.";
            default -> "The JVM refused " + what + ": it " + change(message)
                    + ", and hot code replace only changes method bodies; restart the program to run this change.";
        };
    }

    private static String change(String message) {
        if (message.contains("add method")) {
            return "adds a method (a new lambda adds one too)";
        } else if (message.contains("delete method")) {
            return "removes a method";
        } else if (message.contains("schema change")) {
            return "adds, removes or changes a field";
        } else if (message.contains("hierarchy change")) {
            return "changes the superclass or the interfaces";
        } else if (message.contains("class modifiers")) {
            return "changes the class's modifiers";
        } else if (message.contains("method modifiers")) {
            return "changes a method's modifiers";
        } else if (message.contains("class attribute")) {
            return "changes a class attribute (nest members, record components, permitted subclasses)";
        }
        return "makes a change the JVM cannot apply while running";
    }

    /** Every frame of every thread that runs a method of these classes; an obsolete method has lost its name, so read them first. */
    private Map<StaleFrame, Method> framesIn(Set<ReferenceType> types) {
        Map<StaleFrame, Method> frames = new LinkedHashMap<>();
        for (ThreadReference thread : vm.allThreads()) {
            try {
                List<StackFrame> stack = thread.frames();
                for (int i = 0; i < stack.size(); i++) {
                    Method method = stack.get(i).location().method();
                    if (types.contains(method.declaringType())) {
                        String type = method.declaringType().name();
                        String name = obsolete.name(thread.uniqueID(), stack.size() - i, method);
                        frames.put(new StaleFrame(thread.uniqueID(), thread.name(), i,
                                type.substring(type.lastIndexOf('.') + 1) + "." + name), method);
                    }
                }
            } catch (IncompatibleThreadStateException | ObjectCollectedException gone) {
                // a thread that ended or has not started runs no code of these classes
            }
        }
        return frames;
    }

    /** The frames of {@code before} whose method the redefinition made obsolete: they still run the old code. */
    private List<StaleFrame> staleFrames(Map<StaleFrame, Method> before) {
        List<StaleFrame> stale = new ArrayList<>();
        for (StaleFrame frame : before.keySet()) {
            try {
                ThreadReference thread = threads.get(frame.threadId());
                if (thread.frame(frame.frameIndex()).location().method().isObsolete()) {
                    stale.add(frame);
                    obsolete.remember(frame.threadId(), thread.frameCount() - frame.frameIndex(),
                            frame.method().substring(frame.method().lastIndexOf('.') + 1));
                }
            } catch (IncompatibleThreadStateException | ObjectCollectedException | SondeException gone) {
                // the thread has ended
            }
        }
        return stale;
    }
}
