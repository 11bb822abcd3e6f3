package dev.sonde.jdi.stepping;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The entries of a class's constant pool that name methods, read from the bytes JDI gives
 * ({@code ReferenceType.constantPool()}, the class file's pool without its count).
 */
final class ConstantPool {

    /** A method reference: its class (internal name), name and descriptor; {@code dynamic} for an invokedynamic site. */
    record MethodRef(String owner, String name, String descriptor, boolean dynamic) {
    }

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int METHOD = 10;
    private static final int INTERFACE_METHOD = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int INVOKE_DYNAMIC = 18;

    private final int[] tags;
    private final int[] first;
    private final int[] second;
    private final String[] texts;

    private ConstantPool(int count) {
        tags = new int[count];
        first = new int[count];
        second = new int[count];
        texts = new String[count];
    }

    static ConstantPool read(byte[] bytes, int count) {
        ConstantPool pool = new ConstantPool(count);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                pool.tags[i] = tag;
                switch (tag) {
                    case UTF8 -> pool.texts[i] = in.readUTF();
                    case 3, 4 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // longs and doubles take two slots
                    }
                    case CLASS, 8, 16, 19, 20 -> pool.first[i] = in.readUnsignedShort();
                    case 9, METHOD, INTERFACE_METHOD, NAME_AND_TYPE, 17, INVOKE_DYNAMIC -> {
                        pool.first[i] = in.readUnsignedShort();
                        pool.second[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        pool.first[i] = in.readUnsignedByte();
                        pool.second[i] = in.readUnsignedShort();
                    }
                    default -> throw new IllegalStateException("constant pool tag " + tag + " at entry " + i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pool;
    }

    /** The method an invoke instruction's operand names, or null when the entry is not one. */
    MethodRef method(int index) {
        if (index <= 0 || index >= tags.length) {
            return null;
        }
        return switch (tags[index]) {
            case METHOD, INTERFACE_METHOD -> new MethodRef(texts[first[first[index]]], name(second[index]), descriptor(second[index]), false);
            case INVOKE_DYNAMIC -> new MethodRef(null, name(second[index]), descriptor(second[index]), true);
            default -> null;
        };
    }

    private String name(int nameAndType) {
        return texts[first[nameAndType]];
    }

    private String descriptor(int nameAndType) {
        return texts[second[nameAndType]];
    }
}
