package dev.sonde.agent.core;

import dev.sonde.agent.expr.Conditions;
import dev.sonde.agent.probes.Template;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the first probe's work once, on a throwaway class, right after the agent starts: loading and linking the
 * expression compiler (JavaParser) and ASM takes a second or more in a fresh JVM, and a client's first request would
 * otherwise wait for it. Nothing here touches the application's classes or the probe table.
 */
final class WarmUp {

    private static final Map<String, Template.Local> LOCALS = Map.of(
            "i", new Template.Local("i", 0, "I"),
            "name", new Template.Local("name", 1, "Ljava/lang/String;"));

    private WarmUp() {
    }

    /** Starts the warm-up on a daemon thread; a failure only means the first probe pays the class loading itself. */
    static void start() {
        Thread thread = new Thread(WarmUp::run, "sonde-agent-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        try {
            Template.Scope scope = new Template.Scope() {
                @Override
                public Class<?> type() {
                    return WarmUp.class;
                }

                @Override
                public boolean isStatic() {
                    return true;
                }

                @Override
                public Optional<Template.Local> local(String name) {
                    return Optional.ofNullable(LOCALS.get(name));
                }

                @Override
                public ClassLoader loader() {
                    return WarmUp.class.getClassLoader();
                }
            };
            // first what every logpoint needs (names in its holes take no parser), then the parser for the rest
            Template names = Template.compile("i={i} name={name}", scope);
            names.emitValues(new MethodNode(Opcodes.ASM9), 2);
            names.release();
            byte[] own;
            try (InputStream in = WarmUp.class.getResourceAsStream("WarmUp.class")) {
                own = in.readAllBytes();
            }
            ClassNode node = new ClassNode();
            new ClassReader(own).accept(node, 0);
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
            node.accept(writer);
            writer.toByteArray();
            Template template = Template.compile("{name.length() + i > 0 ? name.trim() : \"\"}", scope);
            template.emitValues(new MethodNode(Opcodes.ASM9), 2);
            template.release();
            Conditions.compile("i > 0 && name != null", scope, false).release();
        } catch (Throwable ignored) {
            // the first real probe loads what is missing
        }
    }
}
