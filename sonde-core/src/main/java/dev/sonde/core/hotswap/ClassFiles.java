package dev.sonde.core.hotswap;

import dev.sonde.core.error.SondeException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Class files read from disk for hot code replace, by the class name each one declares. */
public final class ClassFiles {

    private static final int MAGIC = 0xCAFEBABE;

    private ClassFiles() {
    }

    /**
     * The class files among {@code paths} (each a {@code .class} file or a directory searched for them), by class name.
     * Fails with one sentence when a path does not exist or a file is not a class file.
     */
    public static Map<String, byte[]> read(List<Path> paths) {
        Map<String, byte[]> classes = new TreeMap<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class") && Files.isRegularFile(f)).toList()) {
                        add(classes, file);
                    }
                } catch (IOException e) {
                    throw SondeException.invalidInput("Cannot read the directory " + path + " (" + e.getMessage() + "); check its permissions.");
                }
            } else if (Files.isRegularFile(path)) {
                add(classes, path);
            } else {
                throw SondeException.invalidInput("There is no file or directory " + path + "; give class files or the directories a build writes them to.");
            }
        }
        return classes;
    }

    private static void add(Map<String, byte[]> classes, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw SondeException.invalidInput("Cannot read " + file + " (" + e.getMessage() + "); check that it exists and is readable.");
        }
        String name = className(bytes);
        if (name == null) {
            throw SondeException.invalidInput(file + " is not a class file; give the .class files a compiler wrote.");
        }
        if (!name.equals("module-info") && !name.endsWith(".package-info")) {
            classes.put(name, bytes);
        }
    }

    /** The binary name ({@code pkg.Outer$Inner}) a class file declares, or null when the bytes are not a class file. */
    public static String className(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // longs and doubles take two entries
                    }
                    default -> {
                        return null;
                    }
                }
            }
            in.readUnsignedShort(); // access flags
            int thisClass = in.readUnsignedShort();
            if (thisClass <= 0 || thisClass >= count || utf8[classNameIndex[thisClass]] == null) {
                return null;
            }
            return utf8[classNameIndex[thisClass]].replace('/', '.');
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
